package io.captiond.caption.provider;

import io.captiond.caption.throttle.ProviderLimiter;
import io.captiond.support.http.HttpReply;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one provider request and, when it outlasts {@link ProviderLimiter#backupAfter()} and the
 * limiter grants a {@link ProviderLimiter#backup()} from idle budget, a second copy of it: the first
 * good answer wins; when both fail, the original's failure is what the caption route sorts. The
 * other attempt runs to its end (a blocking HTTP call cannot be withdrawn), closes its own permit and
 * goes to the caller's {@code superseded}. No library offers this for a blocking client: Resilience4j's
 * TimeLimiter and Failsafe's Timeout cancel a slow call, and a cancelled request is a lost answer
 * (and often a billed one), where a backup keeps both chances alive.
 */
final class BackupCopies {

    private static final Logger log = LoggerFactory.getLogger(BackupCopies.class);

    /** The attempts' threads: the caller waits for whichever answer comes first. */
    private static final ExecutorService ATTEMPTS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "captiond-provider-request");
        thread.setDaemon(true);
        return thread;
    });

    /** One HTTP attempt under its permit. */
    interface Attempt {
        Outcome run(ProviderLimiter.Permit permit) throws InterruptedException;
    }

    /**
     * How an attempt ended: a reply (any status), a transport failure or an unexpected exception
     * ({@code error}, rethrown by whoever uses this outcome), and how long it took.
     */
    record Outcome(ProviderLimiter.Permit permit, HttpReply reply, IOException failure, RuntimeException error,
            Duration took) {
        boolean ok() {
            return reply != null && reply.ok();
        }
    }

    private final String provider;
    private final ProviderLimiter limiter;

    BackupCopies(String provider, ProviderLimiter limiter) {
        this.provider = provider;
        this.limiter = limiter;
    }

    /**
     * Runs {@code attempt} under {@code permit}, with a backup copy when it is slow; every permit is
     * closed. The outcome not used goes to {@code superseded} when its attempt ends.
     */
    Outcome run(ProviderLimiter.Permit permit, Attempt attempt, Consumer<Outcome> superseded) throws InterruptedException {
        Duration after = limiter.backupAfter();
        if (after == null) {
            return runAndClose(permit, attempt);
        }
        CompletableFuture<Outcome> original = start(permit, attempt);
        CompletableFuture<Outcome> backup = null;
        try {
            Outcome quick = await(original, after);
            if (quick != null) {
                return quick;
            }
            ProviderLimiter.Permit spare = limiter.backup();
            if (spare == null) {
                return await(original);
            }
            log.debug("{}: a request outlasted {} ms, a backup copy goes from idle budget", provider, after.toMillis());
            backup = start(spare, attempt);
            await(CompletableFuture.anyOf(original, backup));
            CompletableFuture<Outcome> first = original.isDone() ? original : backup;
            CompletableFuture<Outcome> second = first == original ? backup : original;
            CompletableFuture<Outcome> winner = await(first).ok() ? first : await(second).ok() ? second : original;
            (winner == original ? backup : original).thenAccept(superseded);
            return await(winner);
        } catch (InterruptedException e) {
            // captiond is stopping: what still runs ends unread, and is counted as such
            original.thenAccept(superseded);
            if (backup != null) {
                backup.thenAccept(superseded);
            }
            throw e;
        }
    }

    static Outcome runAndClose(ProviderLimiter.Permit permit, Attempt attempt) throws InterruptedException {
        try (permit) {
            return attempt.run(permit);
        }
    }

    private static CompletableFuture<Outcome> start(ProviderLimiter.Permit permit, Attempt attempt) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return runAndClose(permit, attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(permit, null, new InterruptedIOException("interrupted"), null, Duration.ZERO);
            } catch (RuntimeException e) {
                // kept in the outcome: one copy's exception must not hide the other copy's answer
                return new Outcome(permit, null, null, e, Duration.ZERO);
            }
        }, ATTEMPTS);
    }

    /** The attempt's outcome, or null when it is still running after {@code timeout}. */
    private static Outcome await(CompletableFuture<Outcome> attempt, Duration timeout) throws InterruptedException {
        try {
            return attempt.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw unchecked(e);
        }
    }

    private static <T> T await(CompletableFuture<T> attempt) throws InterruptedException {
        try {
            return attempt.get();
        } catch (ExecutionException e) {
            throw unchecked(e);
        }
    }

    private static RuntimeException unchecked(ExecutionException e) {
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
}
