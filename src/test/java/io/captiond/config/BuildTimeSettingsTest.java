package io.captiond.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Which settings Spring AOT fixes at build time, so that a different value at run time is refused. */
class BuildTimeSettingsTest {

    @Test
    void recordsTheFrameworkSwitchesAndNothingOfCaptiondsOrTheMachines() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("application", Map.of(
                "management.endpoints.web.exposure.include", "health,info",
                "management.health.diskspace.enabled", "false",
                "spring.autoconfigure.exclude[0]", "com.example.FirstAutoConfiguration", // a YAML list
                "spring.autoconfigure.exclude[1]", "com.example.SecondAutoConfiguration",
                "spring.main.web-application-type", "none",
                "captiond.ui.enabled", "false",
                "spring.aot.enabled", "true")));
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("NAS_TELEMETRY_ENABLED", "true", "CAMEL_HEALTH_ENABLED", "false")));

        assertThat(BuildTimeSettings.switches(env)).containsOnlyKeys("management.endpoints.web.exposure.include",
                "management.health.diskspace.enabled", "spring.autoconfigure.exclude[0]", "spring.autoconfigure.exclude[1]",
                "spring.main.web-application-type", "camel.health.enabled")
                .containsEntry("spring.autoconfigure.exclude[1]", "com.example.SecondAutoConfiguration")
                .containsEntry("camel.health.enabled", "false");
    }
}
