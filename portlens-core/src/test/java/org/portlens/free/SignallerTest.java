package org.portlens.free;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignallerTest {

    @Test
    void aStartTimeReadToTheMillisecondMustAgreeWithin50Ms() {
        Instant shown = Instant.parse("2026-12-02T06:32:04.120Z");
        assertThat(Signaller.sameStart(shown, Instant.parse("2026-12-02T06:32:04.150Z")))
                .isTrue();
        assertThat(Signaller.sameStart(shown, Instant.parse("2026-12-02T06:32:04.200Z")))
                .isFalse();
        assertThat(Signaller.sameStart(shown, Instant.parse("2026-12-02T06:32:04.060Z")))
                .isFalse();
    }

    @Test
    void aStartTimeReadToTheSecondAgreesWithAnyInstantOfThatSecond() {
        // macOS's ps -o lstart: 06:32:04; the JVM's handle knows 06:32:04.987
        Instant shown = Instant.parse("2026-12-02T06:32:04Z");
        assertThat(Signaller.sameStart(shown, Instant.parse("2026-12-02T06:32:04.987Z")))
                .isTrue();
        assertThat(Signaller.sameStart(shown, Instant.parse("2026-12-02T06:32:04.000Z")))
                .isTrue();
        assertThat(Signaller.sameStart(shown, Instant.parse("2026-12-02T06:32:05.100Z")))
                .isFalse();
        assertThat(Signaller.sameStart(shown, Instant.parse("2026-12-02T06:32:03.900Z")))
                .isFalse();
    }
}
