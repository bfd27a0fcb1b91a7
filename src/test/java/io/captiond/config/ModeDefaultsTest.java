package io.captiond.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The defaults that follow from how captiond runs, and that every user setting overrides. */
class ModeDefaultsTest {

    private StandardEnvironment environment(Map<String, Object> userSettings) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("user", userSettings));
        new ModeDefaults().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    @Test
    void theDaemonServesTheWebAndItsQueuesNoticeAStopWithinAQuarterSecond() {
        StandardEnvironment env = environment(Map.of());
        assertThat(env.getProperty("spring.main.web-application-type")).isNull();
        assertThat(env.getProperty("camel.component.seda.default-poll-timeout")).isEqualTo("250");
    }

    @Test
    void onceModeStartsNoWebServerAndExitsWithoutWaitingForQueuePolls() {
        StandardEnvironment env = environment(Map.of("captiond.once", "true"));
        assertThat(env.getProperty("spring.main.web-application-type")).isEqualTo("none");
        assertThat(env.getProperty("camel.component.seda.default-poll-timeout")).isEqualTo("50");
    }

    @Test
    void aUserSettingWinsOverEveryModeDefault() {
        StandardEnvironment env = environment(Map.of("captiond.once", "true", "camel.component.seda.default-poll-timeout", "1000",
                "spring.main.web-application-type", "servlet"));
        assertThat(env.getProperty("camel.component.seda.default-poll-timeout")).isEqualTo("1000");
        assertThat(env.getProperty("spring.main.web-application-type")).isEqualTo("servlet");
    }
}
