package io.captiond.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captiond.support.DropFolders;
import io.captiond.support.InProcessDaemon;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A setting captiond cannot start with ends start-up with what is wrong and what to set, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupMistakesTest {

    @TempDir
    Path root;

    @Test
    void openAiWithoutAModelStopsStartUpWithOneClearLine(CapturedOutput log) {
        DropFolders folders = new DropFolders(root);

        assertThatThrownBy(() -> InProcessDaemon.start(folders, Map.of("captiond.provider", "openai",
                "captiond.openai.base-url", "http://127.0.0.1:9/v1"))).hasRootCauseInstanceOf(CaptiondConfigurationException.class);

        assertThat(log.getAll()).contains("APPLICATION FAILED TO START")
                .contains("captiond.openai.model is not set: captiond does not know which vision model the "
                        + "OpenAI-compatible server at http://127.0.0.1:9/v1 should run")
                .contains("Set captiond.openai.model (e.g. qwen2.5vl:7b for Ollama, gpt-4o-mini for OpenAI).")
                .doesNotContain("\tat io.captiond").doesNotContain("BeanCreationException");
    }

    @Test
    void settingsOutOfRangeStopStartUpNamingEachSettingAndTheRule(CapturedOutput log) {
        DropFolders folders = new DropFolders(root);

        assertThatThrownBy(() -> InProcessDaemon.start(folders, Map.of("captiond.rate.max-attempts", "0",
                "captiond.rate.mode", "fast"))).hasRootCauseInstanceOf(BindValidationException.class);

        assertThat(log.getAll()).contains("APPLICATION FAILED TO START")
                .contains("Property: captiond.rate.max-attempts", "Value: \"0\"", "must be greater than or equal to 1")
                .contains("Property: captiond.rate.mode", "Value: \"fast\"", "must match \"auto|burst|paced\"")
                .doesNotContain("\tat io.captiond");
    }
}
