package io.captiond.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults that depend on how captiond runs, added below every user setting:
 * <ul>
 * <li>the routes come from {@code ./routes} when that folder exists (users may edit them), else
 * from the copy inside the jar;</li>
 * <li>once mode starts no web server: a batch run needs no health endpoint and must not fight a
 * running daemon for its port.</li>
 * </ul>
 */
public class ModeDefaults implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("camel.main.routes-include-pattern", Files.isDirectory(Path.of("routes"))
                ? "file:routes/*.camel.yaml" : "classpath:routes/*.camel.yaml");
        if (Boolean.parseBoolean(env.getProperty("captiond.once", "false"))) {
            defaults.put("spring.main.web-application-type", "none");
        }
        env.getPropertySources().addLast(new MapPropertySource("captiond-mode-defaults", defaults));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
