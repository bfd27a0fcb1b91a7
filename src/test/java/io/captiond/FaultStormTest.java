package io.captiond;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.support.DropFolders;
import io.captiond.support.Fixtures;
import io.captiond.support.StormyVisionServer;
import io.captiond.support.StormyVisionServer.Call;
import io.captiond.support.StormyVisionServer.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A fault storm on the real routes: the OpenAI-compatible endpoint answers a seeded mix of 429s
 * (Retry-After seconds and retry-after-ms), 500/503, answers slower than the timeout, dropped
 * connections, truncated JSON, empty answers and content-filter refusals. Every image ends in the
 * zip or in failed/ with its reason; no {@code rpm} window is ever exceeded; after a 429 nothing is
 * sent before the advertised time, neither for that image nor (once the answer is out) for any other.
 */
@CamelSpringBootTest
// a configuration of its own: its daemon stops after the class instead of polling on until the JVM ends
@DirtiesContext
@SpringBootTest(classes = CaptiondApplication.class)
class FaultStormTest {

    private static final int IMAGES = 24;
    private static final int RPM = 10;
    private static final Duration WINDOW = Duration.ofSeconds(2);
    /** Loopback and thread hand-over: a request sent on time may be stamped this much early or late. */
    private static final long SLACK_MILLIS = 40;
    /** Requests already on their way when a 429 went out are not retries; after this they would be. */
    private static final long IN_FLIGHT_MILLIS = 150;

    static StormyVisionServer server;

    @TempDir
    static Path root;
    static DropFolders folders;

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        server = StormyVisionServer.stormy(20261125, 1500);
        folders = new DropFolders(root);
        folders.registerAuto(registry, Map.of(
                "captiond.openai.base-url", server::baseUrl,
                "captiond.openai.model", () -> "storm-vl",
                "captiond.openai.timeout", () -> "1s",
                "captiond.rate.rpm", () -> String.valueOf(RPM),
                "captiond.rate.window", () -> WINDOW.toMillis() + "ms",
                "captiond.rate.concurrency", () -> "4",
                "captiond.rate.max-attempts", () -> "4",
                "captiond.rate.backoff-base", () -> "100ms",
                "captiond.rate.backoff-max", () -> "400ms"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyImageEndsCaptionedOrQuarantinedAndTheProvidersLimitsAreKept() throws Exception {
        List<String> dropped = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            String name = String.format("storm_%02d.png", i);
            folders.write("storm_ds", name, Fixtures.distinctPng(i, IMAGES));
            dropped.add(name);
        }
        folders.trigger("storm_ds");

        Map<String, byte[]> zip = folders.awaitZip("storm_ds", Duration.ofMinutes(3));

        // every image accounted for: a member with its caption, or quarantined with a reason
        List<String> quarantined = new ArrayList<>();
        for (String name : dropped) {
            String stem = name.substring(0, name.length() - 4);
            Path reason = folders.failed("storm_ds").resolve(name + ".error.txt");
            if (zip.containsKey(name)) {
                assertThat(new String(zip.get(stem + ".txt"), StandardCharsets.UTF_8))
                        .startsWith("photo of storm_ds, a potted flower");
                assertThat(reason).doesNotExist();
            } else {
                assertThat(reason).as(name + " is neither in the zip nor in failed/").exists();
                assertThat(Files.readString(reason)).contains("stage: caption").doesNotContain("reason: unknown error");
                quarantined.add(name);
            }
        }
        assertThat(zip).hasSize(2 * (IMAGES - quarantined.size()));
        assertThat(folders.list(folders.inbox("storm_ds"))).isEmpty();

        List<Call> calls = server.calls().stream().sorted(Comparator.comparingLong(Call::arrivedNanos)).toList();
        assertThat(calls.stream().map(Call::fault).collect(Collectors.toSet()))
                .as("the storm really had every kind of fault").containsAll(List.of(Fault.values()));

        // never more than rpm requests in any window
        for (int i = 0; i < calls.size(); i++) {
            long windowEnd = calls.get(i).arrivedNanos() + TimeUnit.MILLISECONDS.toNanos(WINDOW.toMillis() - SLACK_MILLIS);
            long inWindow = calls.stream().skip(i).takeWhile(c -> c.arrivedNanos() < windowEnd).count();
            assertThat(inWindow).as("requests in the window starting at request " + i).isLessThanOrEqualTo(RPM);
        }

        // after a 429: the same image never comes back early, and no other request is sent early either
        for (Call throttled : calls.stream().filter(c -> c.advertisedWaitMillis() > 0).toList()) {
            long notBefore = throttled.answeredNanos() + TimeUnit.MILLISECONDS.toNanos(throttled.advertisedWaitMillis() - SLACK_MILLIS);
            long knownBy = throttled.answeredNanos() + TimeUnit.MILLISECONDS.toNanos(IN_FLIGHT_MILLIS);
            for (Call later : calls) {
                if (later.arrivedNanos() <= throttled.arrivedNanos()) {
                    continue;
                }
                if (later.image().equals(throttled.image()) || later.arrivedNanos() >= knownBy) {
                    assertThat(later.arrivedNanos()).as("a request %s ms after a 429 that asked for %s ms",
                            TimeUnit.NANOSECONDS.toMillis(later.arrivedNanos() - throttled.answeredNanos()),
                            throttled.advertisedWaitMillis()).isGreaterThanOrEqualTo(notBefore);
                }
            }
        }

        // throttling is the provider's pace, never the image's fault: an image that met only 429s is a member
        Map<String, List<Fault>> faultsPerImage = calls.stream().collect(Collectors.groupingBy(Call::image,
                Collectors.mapping(Call::fault, Collectors.toList())));
        long onlyThrottled = faultsPerImage.values().stream().filter(faults -> faults.stream()
                .allMatch(f -> f == Fault.OK || f == Fault.RETRY_AFTER_SECONDS || f == Fault.RETRY_AFTER_MS)).count();
        long membersThatMetOnly429s = faultsPerImage.values().stream().filter(faults -> faults.contains(Fault.OK)
                && faults.stream().allMatch(f -> f == Fault.OK || f == Fault.RETRY_AFTER_SECONDS || f == Fault.RETRY_AFTER_MS))
                .count();
        assertThat(membersThatMetOnly429s).as("images that met only 429s and got their caption").isEqualTo(onlyThrottled);

        // no image was paid for twice: one successful answer per member at most
        Map<String, Long> successes = calls.stream().filter(c -> c.fault() == Fault.OK)
                .collect(Collectors.groupingBy(Call::image, Collectors.counting()));
        assertThat(successes.values()).allMatch(n -> n == 1);

        for (String id : List.of("watch-inbox", "normalise", "caption", "package", "recover")) {
            assertThat(camel.getRouteController().getRouteStatus(id)).as(id).isEqualTo(ServiceStatus.Started);
        }
    }
}
