package io.captiond.logging;

import io.captiond.support.LogMasking;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.helpers.MessageFormatter;

/**
 * Logback's {@code %m}/{@code %msg} for captiond (installed by {@link SafeLogMessages}): the arguments of a log call
 * (file names, dataset names, server words) have their control characters escaped, while a message
 * template written with line breaks keeps them; then credentials are masked in the whole line.
 * A converter rather than a TurboFilter because a filter can only drop events, not rewrite them.
 */
public class SafeMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        String message;
        if (args == null || args.length == 0) {
            message = event.getFormattedMessage();
        } else {
            Object[] safe = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                safe[i] = a == null || a instanceof Number || a instanceof Boolean || a instanceof Throwable ? a
                        : LogMasking.escapeControls(String.valueOf(a));
            }
            message = MessageFormatter.arrayFormat(event.getMessage(), safe).getMessage();
        }
        return LogMasking.mask(message);
    }
}
