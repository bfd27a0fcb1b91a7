package io.captiond.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a file counts as completely written, on a clock the test steps (no waiting, no timing luck). */
class StabilityTrackerTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StabilityTracker tracker = new StabilityTracker(Duration.ofMillis(300), now::get);

    private void advance(long millis) {
        now.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    @Test
    void aFileThatKeepsGrowingIsNeverStableHoweverLongItTakes() {
        for (int size = 100; size <= 1_000; size += 100) {
            assertThat(tracker.isStable("/in/ds/slow.png", size, 1)).isFalse();
            assertThat(tracker.lastSeenSize("/in/ds/slow.png")).isEqualTo(size);
            advance(299); // a slow copy: each chunk lands just inside the quiet period
        }
    }

    @Test
    void aFileIsStableOnceSizeAndTimeStayedTheSameForTheQuietPeriod() {
        assertThat(tracker.isStable("/in/ds/a.png", 500, 7)).isFalse(); // first sight
        advance(299);
        assertThat(tracker.isStable("/in/ds/a.png", 500, 7)).isFalse();
        advance(1);
        assertThat(tracker.isStable("/in/ds/a.png", 500, 7)).isTrue();
    }

    @Test
    void aNewModificationTimeStartsTheQuietPeriodAgainAndAForgottenFileIsUnseen() {
        assertThat(tracker.isStable("/in/ds/b.png", 500, 7)).isFalse();
        advance(400);
        assertThat(tracker.isStable("/in/ds/b.png", 500, 8)).isFalse(); // rewritten in place, same size
        advance(300);
        assertThat(tracker.isStable("/in/ds/b.png", 500, 8)).isTrue();
        tracker.forget("/in/ds/b.png");
        assertThat(tracker.lastSeenSize("/in/ds/b.png")).isEqualTo(-1);
    }
}
