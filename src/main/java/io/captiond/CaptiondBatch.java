package io.captiond;

import io.captiond.config.ModeDefaults;
import org.springframework.aot.AotDetector;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationEvent;

/**
 * Once mode's name for Spring AOT. The build runs AOT twice: for {@link CaptiondApplication} as the
 * daemon (a servlet application) and for this class with {@code --captiond.once=true} (no web
 * application, since once mode serves nothing), each into its own generated initializer
 * ({@code <class>__ApplicationContextInitializer}). Spring picks the initializer by the main class's
 * name once the environment is prepared, so under AOT a once-mode run names this class then.
 */
public final class CaptiondBatch {

    private CaptiondBatch() {
    }

    public static void main(String[] args) {
        CaptiondApplication.main(args);
    }

    /** Listens for the prepared environment (after config.ModeDefaults) and names the batch variant when it runs. */
    static void chooseAotVariant(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared && AotDetector.useGeneratedArtifacts()
                && ModeDefaults.batchVariant(prepared.getEnvironment())) {
            prepared.getSpringApplication().setMainApplicationClass(CaptiondBatch.class);
        }
    }
}
