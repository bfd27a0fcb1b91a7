package io.captiond.support;

import io.captiond.CaptiondApplication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The daemon started in the test's JVM on a set of drop folders and stopped as SIGTERM stops it
 * ({@code close()}: Spring's shutdown hook does the same), so a test can stop and restart it over
 * the same folders. Provider keys from the developer's environment are blanked.
 */
public final class InProcessDaemon {

    private InProcessDaemon() {
    }

    public static ConfigurableApplicationContext start(DropFolders folders, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("captiond.inbox", folders.inbox().toString());
        all.put("captiond.work", folders.root().resolve("work").toString());
        all.put("captiond.outbox", folders.root().resolve("outbox").toString());
        all.put("captiond.failed", folders.root().resolve("failed").toString());
        all.put("captiond.watch.poll-interval", "100ms");
        all.put("captiond.watch.quiet-period", "300ms");
        all.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        all.put("server.port", "0");
        all.put("captiond.gemini.api-key", "");
        all.put("captiond.openai.api-key", "");
        all.put("captiond.replicate.api-token", "");
        all.put("captiond.rate.window", "1s");
        all.putAll(settings);
        List<String> args = new ArrayList<>();
        all.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(CaptiondApplication.class).run(args.toArray(String[]::new));
    }
}
