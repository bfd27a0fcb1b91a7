package io.captiond;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.captiond.support.CaptiondJar;
import io.captiond.support.DropFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once mode, run from cron as users do, when waiting cannot help: a wrong key (paused until a
 * restart) or a spent daily quota (paused longer than captiond.once-mode.max-wait) ends the run at
 * once with status 75 (EX_TEMPFAIL) and a last line saying why and how many images wait; nothing is
 * quarantined, and the next run with the key fixed packages the dataset.
 */
class ConfigurationMistakeOnceModeJarIT {

    static final String PATH = "/v1beta/models/gemini-2.5-flash:generateContent";

    @RegisterExtension
    static WireMockExtension gemini = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path root;

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private List<String> args(String key) {
        List<String> args = new ArrayList<>(CaptiondJar.folderArgs(root));
        args.addAll(List.of("--captiond.once=true", "--captiond.provider=gemini", "--server.port=0",
                "--captiond.gemini.base-url=" + gemini.baseUrl(), "--captiond.gemini.api-key=" + key,
                "--captiond.watch.quiet-period=300ms", "--captiond.watch.poll-interval=100ms"));
        return args;
    }

    @Test
    void aWrongKeyEndsTheRunWithStatus75AndTheFixedKeyPackagesTheDataset() throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).withHeader("x-goog-api-key", equalTo("AIza-wrong")).willReturn(json(400, """
                {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}""")));
        gemini.stubFor(post(urlEqualTo(PATH)).withHeader("x-goog-api-key", equalTo("AIza-right")).willReturn(json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"A photo on a table."}]},"finishReason":"STOP"}]}""")));
        DropFolders folders = new DropFolders(root);
        for (String photo : List.of("flower.webp", "Landscape_6.jpg", "Portrait_5.jpg")) {
            folders.drop("cron_set", photo);
        }
        folders.trigger("cron_set");

        CaptiondJar.Run wrong = CaptiondJar.run(root, args("AIza-wrong"), Map.of(), 180);

        assertThat(wrong.exitCode()).as(wrong.output()).isEqualTo(75);
        String last = wrong.output().lines().filter(l -> l.contains("Once mode stops")).reduce((a, b) -> b).orElse("");
        assertThat(last).contains("status 75 (EX_TEMPFAIL)").contains("3 image(s) wait for a caption")
                .contains("API_KEY_INVALID").contains("GEMINI_API_KEY");
        assertThat(wrong.output()).doesNotContain("AIza-wrong").doesNotContain("Quarantined");
        assertThat(folders.inbox("cron_set").resolve("CAPTIOND-ERROR.txt")).exists();
        assertThat(folders.list(folders.failed("cron_set"))).isEmpty();

        CaptiondJar.Run fixed = CaptiondJar.run(root, args("AIza-right"), Map.of(), 180);

        assertThat(fixed.exitCode()).as(fixed.output()).isZero();
        assertThat(DropFolders.zipContents(folders.zip("cron_set"))).hasSize(6);
        assertThat(folders.inbox("cron_set").resolve("CAPTIOND-ERROR.txt")).doesNotExist();
    }

    @Test
    void aSpentDailyQuotaEndsTheRunWithStatus75InsteadOfWaitingOutMaxWait() throws Exception {
        gemini.stubFor(post(urlEqualTo(PATH)).willReturn(json(429, """
                {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
                 "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{
                   "quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaValue":"250"}]}]}}""")));
        DropFolders folders = new DropFolders(root);
        folders.drop("cron_quota", "flower.webp");

        CaptiondJar.Run run = CaptiondJar.run(root, args("AIza-any"), Map.of(), 180);

        assertThat(run.exitCode()).as(run.output()).isEqualTo(75);
        assertThat(run.output()).contains("1 image(s) wait for a caption").contains("quota exhausted")
                .contains("captiond.once-mode.max-wait");
        assertThat(folders.list(folders.work("cron_quota"))).contains("flower.webp").doesNotContain("flower.txt");
        assertThat(folders.list(folders.failed("cron_quota"))).isEmpty();
    }
}
