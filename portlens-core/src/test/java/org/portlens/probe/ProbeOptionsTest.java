package org.portlens.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeOptionsTest {

    @Test
    void eachWithChangesOneLimitAndKeepsTheOthers() {
        ProbeOptions d = ProbeOptions.defaults();

        assertThat(d.withConnectTimeout(Duration.ofSeconds(5)))
                .isEqualTo(new ProbeOptions(Duration.ofSeconds(5), d.bannerWait(), d.probeTimeout(), d.maxBytes()));
        assertThat(d.withBannerWait(Duration.ZERO))
                .isEqualTo(new ProbeOptions(d.connectTimeout(), Duration.ZERO, d.probeTimeout(), d.maxBytes()));
        assertThat(d.withProbeTimeout(Duration.ofMillis(50)))
                .isEqualTo(new ProbeOptions(d.connectTimeout(), d.bannerWait(), Duration.ofMillis(50), d.maxBytes()));
        assertThat(d.withMaxBytes(64))
                .isEqualTo(new ProbeOptions(d.connectTimeout(), d.bannerWait(), d.probeTimeout(), 64));
        assertThat(d).isEqualTo(ProbeOptions.defaults());
    }

    @Test
    void withValidatesLikeTheConstructor() {
        ProbeOptions d = ProbeOptions.loopback();

        assertThatThrownBy(() -> d.withConnectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connect timeout must be positive, got 0 ms");
        assertThatThrownBy(() -> d.withBannerWait(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withProbeTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxBytes(63))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max bytes must be at least 64, got 63");
    }
}
