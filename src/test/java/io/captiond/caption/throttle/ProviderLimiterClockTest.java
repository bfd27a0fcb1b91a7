package io.captiond.caption.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.caption.throttle.ProviderLimiter.Mode;
import io.captiond.caption.throttle.ProviderLimiter.Permit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limiter's decisions against a fake clock: what may go now, and when the next may go. A
 * request counts in the window from its grant until it is on the wire, then from its send time.
 */
class ProviderLimiterClockTest {

    static final long S = 1_000_000_000L;
    static final Duration MINUTE = Duration.ofSeconds(60);
    /** The window as the limiter keeps it: a minute plus 1 % and 250 ms for the wire. */
    static final long WINDOW = 60 * S + 60 * S / 100 + ProviderLimiter.MARGIN_NANOS;

    long now = 1_000 * S;

    ProviderLimiter limiter(int rpm, Mode mode, int concurrency) {
        return new ProviderLimiter("gemini", rpm, 8, mode, concurrency, 64, MINUTE, Duration.ofMinutes(5), () -> now);
    }

    List<Permit> grantAll(ProviderLimiter limiter) {
        List<Permit> granted = new ArrayList<>();
        Object d;
        while ((d = limiter.tryAcquire()) instanceof Permit p) {
            granted.add(p);
        }
        return granted;
    }

    @Test
    void burstModeLetsTheWholeWindowGoAtOnceAndTheNextOneWindowAfterItsSendCompleted() {
        ProviderLimiter limiter = limiter(10, Mode.BURST, 0);
        List<Permit> first = grantAll(limiter);
        assertThat(first).hasSize(10);
        // a cold JVM: the first requests reach the wire 1.5 s after their grant
        now += 3 * S / 2;
        first.forEach(Permit::sent);
        first.forEach(Permit::close);
        assertThat(limiter.tryAcquire()).isEqualTo(now + WINDOW); // counted from the send, not the grant
        now += WINDOW - 1;
        assertThat(limiter.tryAcquire()).isNotInstanceOf(Permit.class);
        now += 1;
        assertThat(grantAll(limiter)).hasSize(10);
    }

    @Test
    void aRequestStillBeingSentHoldsItsPlaceInEveryWindow() {
        ProviderLimiter limiter = limiter(3, Mode.BURST, 0);
        List<Permit> first = grantAll(limiter);
        assertThat(first).hasSize(3);
        now += 2 * WINDOW; // long after the grants, but none is on the wire yet
        assertThat(limiter.tryAcquire()).isEqualTo(ArrivalLog.PENDING);
        first.get(0).sent();
        assertThat(limiter.tryAcquire()).isEqualTo(now + WINDOW);
    }

    @Test
    void aSlowAnswerMovesNothingButEvery429WidensTheMarginOnLaterStamps() {
        ProviderLimiter limiter = limiter(1, Mode.BURST, 0);
        Permit slow = (Permit) limiter.tryAcquire();
        long sent = now;
        slow.sent();
        now += 20 * S; // the model thought for 20 s: after the server had counted the arrival
        limiter.succeeded(slow);
        slow.close();
        assertThat(limiter.tryAcquire()).isEqualTo(sent + WINDOW);

        now = sent + WINDOW;
        Permit refused = (Permit) limiter.tryAcquire();
        long refusedAt = now;
        refused.sent();
        limiter.throttled(refused); // the server counted differently: later stamps carry a margin
        refused.close();
        now += WINDOW; // past the stamp of the refused one, which was stamped before the 429
        Permit next = (Permit) limiter.tryAcquire();
        long nextSent = now;
        next.sent();
        next.close();
        assertThat(refusedAt + WINDOW - now).isNotPositive();
        assertThat(limiter.tryAcquire()).isEqualTo(nextSent + WINDOW / 100 + WINDOW);
    }

    @Test
    void pacedModeSpacesRequestsWindowOverLimitApart() {
        ProviderLimiter limiter = limiter(6, Mode.PACED, 0);
        Permit first = (Permit) limiter.tryAcquire();
        first.sent();
        long spacing = WINDOW / 6;
        assertThat(limiter.tryAcquire()).isEqualTo(now + spacing);
        now += spacing;
        assertThat(limiter.tryAcquire()).isInstanceOf(Permit.class);
    }

    @Test
    void theFirst429InAWhilePacesWithoutCuttingTheRateAndASecondSoonAfterCutsIt() {
        ProviderLimiter limiter = limiter(60, Mode.BURST, 0);
        Permit p = (Permit) limiter.tryAcquire();
        p.sent();
        now += S;
        limiter.throttled(p);
        p.close();
        assertThat(limiter.limit()).isEqualTo(60);
        now += S;
        Permit next = (Permit) limiter.tryAcquire();
        next.sent();
        Object wait = limiter.tryAcquire();
        assertThat(wait).as("paced now: about one per second, no longer all at once").isInstanceOf(Long.class);
        assertThat((Long) wait - now).isPositive().isLessThanOrEqualTo(WINDOW / 60);

        now += 10 * S;
        Permit later = (Permit) limiter.tryAcquire();
        later.sent();
        now += S;
        limiter.throttled(later);
        assertThat(limiter.limit()).isEqualTo(60 * ProviderLimiter.DECREASE);
    }

    @Test
    void a429AfterAQuietSpellIsAgainTheFirstInAWhile() {
        ProviderLimiter limiter = limiter(60, Mode.BURST, 0);
        Permit p = (Permit) limiter.tryAcquire();
        p.sent();
        limiter.throttled(p);
        p.close();
        now += (ProviderLimiter.CALM_WINDOWS + 1) * WINDOW;
        Permit q = (Permit) limiter.tryAcquire();
        q.sent();
        limiter.throttled(q);
        assertThat(limiter.limit()).isEqualTo(60);
    }

    @Test
    void anExplicitConcurrencyIsNeverExceeded() {
        ProviderLimiter limiter = limiter(600, Mode.BURST, 2);
        List<Permit> granted = grantAll(limiter);
        assertThat(granted).hasSize(2);
        granted.get(0).sent();
        granted.get(0).close();
        assertThat(grantAll(limiter)).hasSize(1);
    }

    @Test
    void aWindowBoundBurstNeedsAsManyInFlightAsTheBudget() {
        ProviderLimiter limiter = limiter(40, Mode.BURST, 0);
        assertThat(grantAll(limiter)).hasSize(40);
    }

    @Test
    void aBackupCopyComesOnlyFromIdleBudgetAfterAnAnswerAndAtMostOnePerTenRequests() {
        ProviderLimiter limiter = limiter(12, Mode.BURST, 0).backups(true);
        Permit first = (Permit) limiter.tryAcquire();
        assertThat(limiter.backupAfter()).isNull(); // no answer yet: nothing to call slow
        now += 2 * S;
        first.sent();
        now += 2 * S;
        limiter.succeeded(first);
        first.close();
        assertThat(limiter.backupAfter()).isEqualTo(Duration.ofSeconds(3)); // 1.5 × the 2 s answer

        Permit slow = (Permit) limiter.tryAcquire();
        assertThat(limiter.backup()).isNotNull();
        assertThat(limiter.backup()).as("one backup per ten requests").isNull();
        List<Permit> rest = grantAll(limiter);
        assertThat(rest).hasSize(9); // the window's 12: first, slow, its backup and these
        assertThat(limiter.backup()).as("the window is spent").isNull();
        assertThat(slow).isNotNull();
    }

    @Test
    void noBackupCopyWhileTheProviderIsPaused() {
        ProviderLimiter limiter = limiter(12, Mode.BURST, 0).backups(true);
        Permit first = (Permit) limiter.tryAcquire();
        first.sent();
        now += S;
        limiter.succeeded(first);
        first.close();
        limiter.tryAcquire();
        limiter.pause(Duration.ofHours(1), "quota exhausted"); // longer than a request may wait: no throw here
        assertThat(limiter.backup()).isNull();
    }

    @Test
    void noBackupCopiesWhenSwitchedOffOrWhenPacing() {
        for (ProviderLimiter limiter : List.of(limiter(12, Mode.BURST, 0).backups(false), limiter(12, Mode.PACED, 0).backups(true))) {
            Permit first = (Permit) limiter.tryAcquire();
            first.sent();
            now += S;
            limiter.succeeded(first);
            first.close();
            now += 10 * S;
            limiter.tryAcquire();
            assertThat(limiter.backupAfter()).isNull();
            assertThat(limiter.backup()).isNull();
        }
    }
}
