package io.captiond.support;

import java.util.function.BooleanSupplier;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Whether captiond has begun to stop. Set by the first thing Spring does on SIGTERM (or once mode's
 * exit): publishing {@link ContextClosedEvent}, before Camel's graceful shutdown starts. From then
 * on no paid request starts; work not yet begun stays where it is for the next start.
 */
@Component
public class Stopping implements BooleanSupplier {

    private volatile boolean stopping;
    private volatile long since;

    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void onClose(ContextClosedEvent event) {
        since = System.nanoTime();
        stopping = true;
    }

    /** When the stop began ({@link System#nanoTime()}), or 0 while captiond runs. */
    public long since() {
        return stopping ? since : 0;
    }

    @Override
    public boolean getAsBoolean() {
        return stopping;
    }
}
