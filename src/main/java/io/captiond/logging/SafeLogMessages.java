package io.captiond.logging;

import ch.qos.logback.classic.PatternLayout;
import java.util.List;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Makes {@link SafeMessageConverter} Logback's {@code %m}, {@code %msg} and {@code %message} in every
 * pattern, before Spring Boot sets up logging: Spring Boot's own console logging then masks credentials,
 * and so would a logback file of the user's. Registered among Logback's built-in conversion words
 * rather than by a {@code conversionRule} in a logback XML file: that file (under Spring AOT a
 * serialised model of it) cost about 0.1 s of a 4 s start on two cores, and Spring Boot clears the logger
 * context's own rule registry each time it configures logging.
 */
public class SafeLogMessages implements ApplicationListener<ApplicationStartingEvent> {

    @Override
    public void onApplicationEvent(ApplicationStartingEvent event) {
        install();
    }

    static void install() {
        for (String word : List.of("m", "msg", "message")) {
            PatternLayout.DEFAULT_CONVERTER_SUPPLIER_MAP.put(word, SafeMessageConverter::new);
        }
    }
}
