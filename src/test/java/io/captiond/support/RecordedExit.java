package io.captiond.support;

import io.captiond.once.ProcessExit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Once mode in the test's own JVM: the status once mode ends with is recorded instead of ending the
 * JVM, so a Spring test can run a whole once-mode run and then read the outbox.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RecordedExit {

    @Bean
    public Recorder processExit() {
        return new Recorder();
    }

    /** The exit status once mode asked for, when it asks. */
    public static final class Recorder implements ProcessExit {

        private final CompletableFuture<Integer> status = new CompletableFuture<>();

        @Override
        public void exit(ApplicationContext context, int code) {
            status.complete(code);
        }

        public int await(Duration atMost) throws Exception {
            return status.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
