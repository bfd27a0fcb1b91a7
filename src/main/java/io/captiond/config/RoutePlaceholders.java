package io.captiond.config;

import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * Hands the typed configuration to the YAML routes as {@code {{captiond.route.*}}} placeholders:
 * the routes then see validated values with their defaults applied (a record's defaults are not
 * Spring properties), and paths already made absolute. After start-up it checks that the routes
 * the daemon depends on were loaded, since a wrong routes folder would otherwise start an idle daemon.
 */
@Component
public class RoutePlaceholders implements CamelContextConfiguration {

    static final List<String> REQUIRED_ROUTES = List.of("watch-inbox", "normalise", "caption", "package", "recover", "upload",
            "upload-resume", "training-poll");

    private final Map<String, String> values;

    public RoutePlaceholders(CaptiondProperties props) {
        var watch = props.watch();
        this.values = Map.of(
                "captiond.route.inbox", props.inbox().toAbsolutePath().normalize().toString(),
                "captiond.route.poll-ms", String.valueOf(watch.pollInterval().toMillis()),
                "captiond.route.trigger-poll-ms", String.valueOf(Math.max(watch.pollInterval().toMillis(), 500)),
                "captiond.route.max-files-per-poll", String.valueOf(watch.maxFilesPerPoll()),
                "captiond.route.normalise-workers", String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())),
                "captiond.route.normalise-queue", String.valueOf(watch.maxFilesPerPoll()),
                // enough workers for the most the limiter may let through; the limiter gates them
                "captiond.route.caption-workers", String.valueOf(props.rate().workers()),
                "captiond.route.caption-queue", String.valueOf(Math.max(100, props.rate().workers() * 2)),
                "captiond.route.recovery-ms", "60000",
                "captiond.route.training-poll-ms",
                String.valueOf(Math.max(10, Math.min(props.upload().pollInterval().toMillis() / 2, 1000))));
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return "captiond-typed-configuration";
            }

            @Override
            public String getProperty(String name) {
                return values.get(name);
            }
        });
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        List<String> missing = REQUIRED_ROUTES.stream().filter(id -> camelContext.getRoute(id) == null).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("routes " + missing + " were not loaded; check "
                    + "camel.main.routes-include-pattern (now: the routes/ folder next to the working directory, "
                    + "or the copy inside the jar)");
        }
    }
}
