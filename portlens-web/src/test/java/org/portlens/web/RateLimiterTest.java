package org.portlens.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void allowsABurstThenTheRate() {
        RateLimiter r = new RateLimiter(60, 3); // one a second after a burst of three
        long t = 1_000_000_000L;
        assertThat(r.allow("a", t)).isTrue();
        assertThat(r.allow("a", t)).isTrue();
        assertThat(r.allow("a", t)).isTrue();
        assertThat(r.allow("a", t)).isFalse();
        assertThat(r.allow("b", t)).as("another client has its own bucket").isTrue();
        assertThat(r.allow("a", t + 500_000_000L)).isFalse();
        assertThat(r.allow("a", t + 1_100_000_000L)).isTrue();
        assertThat(r.allow("a", t + 1_200_000_000L)).isFalse();
    }

    @Test
    void aFloodFromManyAddressesCannotGrowItWithoutBound() {
        RateLimiter r = new RateLimiter(60, 1);
        long t = 5_000_000_000L;
        for (int i = 0; i < RateLimiter.MAX_CLIENTS; i++) {
            assertThat(r.allow("10.0." + i, t)).isTrue();
        }
        assertThat(r.allow("new", t))
                .as("full, and nobody's bucket has refilled")
                .isFalse();
        assertThat(r.allow("new", t + 2_000_000_000L))
                .as("refilled buckets are dropped")
                .isTrue();
    }
}
