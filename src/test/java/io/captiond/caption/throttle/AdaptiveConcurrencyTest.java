package io.captiond.caption.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The in-flight limit from Little's law and from the latency each in-flight level produced. */
class AdaptiveConcurrencyTest {

    static final long S = 1_000_000_000L;
    static final double TEN_PER_SECOND = 10.0 / S;

    @Test
    void beforeAnyAnswerTheCapApplies() {
        assertThat(new AdaptiveConcurrency(0, 64).limit(TEN_PER_SECOND, 0)).isEqualTo(64);
    }

    @Test
    void aCloudApiGetsRateTimesLatencyWithHeadroom() {
        AdaptiveConcurrency c = new AdaptiveConcurrency(0, 64);
        for (int n = 1; n <= 12; n++) {
            c.sample(n, S); // latency does not depend on how many are in flight
        }
        assertThat(c.limit(TEN_PER_SECOND, 0)).isEqualTo(15); // 10/s × 1 s × 1.5
        assertThat(c.limit(TEN_PER_SECOND, 40)).as("bursting: the window's budget at once").isEqualTo(40);
    }

    @Test
    void aServerThatSerialisesIsGivenOneRequestAndOneToProbe() {
        AdaptiveConcurrency c = new AdaptiveConcurrency(0, 64);
        for (int n = 1; n <= 20; n++) {
            c.sample(n, n * S); // each request waits for the ones before it
        }
        assertThat(c.limit(100.0 / S, 0)).isEqualTo(2);
    }

    @Test
    void aServerWithFourSlotsIsKeptBusyButNotFlooded() {
        AdaptiveConcurrency c = new AdaptiveConcurrency(0, 64);
        for (int n = 1; n <= 30; n++) {
            // four at once, each slower by half per neighbour; the rest queue
            double service = 1 + 0.5 * (Math.min(n, 4) - 1);
            double latency = n <= 4 ? service : service * n / 4.0;
            c.sample(n, Math.round(latency * S));
        }
        assertThat(c.limit(100.0 / S, 0)).isEqualTo(6); // level 4 is the smallest at full throughput, plus 2 to probe
    }

    @Test
    void anExplicitSettingWins() {
        AdaptiveConcurrency c = new AdaptiveConcurrency(3, 64);
        c.sample(1, S);
        assertThat(c.limit(TEN_PER_SECOND, 40)).isEqualTo(3);
        assertThat(c.cap()).isEqualTo(3);
    }
}
