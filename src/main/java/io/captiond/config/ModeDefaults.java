package io.captiond.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults that depend on how captiond runs, added below every user setting:
 * <ul>
 * <li>the routes come from {@code ./routes} when that folder exists (users may edit them), else
 * from the copy inside the jar;</li>
 * <li>once mode starts no web server: a batch run needs no health endpoint and must not fight a
 * running daemon for its port. Under Spring AOT (bin/captiond) such a run starts the jar's batch
 * variant ({@link #batchVariant}), generated for exactly that;</li>
 * <li>how soon the seda routes notice a stop (below).</li>
 * </ul>
 */
public class ModeDefaults implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("camel.main.routes-include-pattern", Files.isDirectory(Path.of("routes"))
                ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        // a seda consumer notices a stop only when its poll times out, and Camel stops the four seda
        // routes one after another: Camel's 1 s default added ~4 s to every stop. 250 ms costs the
        // daemon a few hundred cheap wake-ups a second; a batch run, which exits as soon as it is done, 50 ms.
        defaults.put("camel.component.seda.default-poll-timeout", "250");
        if (Boolean.parseBoolean(env.getProperty("captiond.once", "false"))) {
            defaults.put("spring.main.web-application-type", "none");
            defaults.put("camel.component.seda.default-poll-timeout", "50");
        }
        env.getPropertySources().addLast(new MapPropertySource("captiond-mode-defaults", defaults));
    }

    /**
     * Whether this run is the batch variant the build generated AOT code for ({@code CaptiondBatch}):
     * once mode without a web application (the launcher's training run asks for the web server, and so
     * runs the daemon's variant).
     */
    public static boolean batchVariant(Environment env) {
        return Boolean.parseBoolean(env.getProperty("captiond.once", "false"))
                && "none".equalsIgnoreCase(env.getProperty("spring.main.web-application-type"));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1; // after the user's settings, before BuildTimeSettings checks them
    }
}
