package io.captiond.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Once captiond starts, every Logback pattern's message masks credentials and escapes names, whoever set logging up. */
class SafeLogMessagesTest {

    @Test
    void anyPatternLayoutsMessageWordsMaskCredentialsAndEscapeNames() {
        SafeLogMessages.install();
        LoggerContext context = new LoggerContext(); // a fresh set-up, as a user's own logback file makes
        for (String word : List.of("m", "msg", "message")) {
            PatternLayout layout = new PatternLayout();
            layout.setContext(context);
            layout.setPattern("%" + word);
            layout.start();
            LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("wire"), Level.INFO,
                    "sent {} with Authorization: Bearer example-token-value", null, new Object[] {"line\nbreak.jpg"});
            assertThat(layout.doLayout(event)).as("%%%s", word)
                    .isEqualTo("sent line\\nbreak.jpg with Authorization: Bearer (redacted)");
        }
    }
}
