package org.portlens.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortRangeTest {

    @Test
    void parsesSinglePort() {
        PortRange r = PortRange.parse("3640");
        assertThat(r).isEqualTo(new PortRange(3640, 3640));
        assertThat(r.single()).isTrue();
        assertThat(r.size()).isEqualTo(1);
        assertThat(r).hasToString("3640");
    }

    @Test
    void parsesRange() {
        PortRange r = PortRange.parse("3000-3005");
        assertThat(r.low()).isEqualTo(3000);
        assertThat(r.high()).isEqualTo(3005);
        assertThat(r.size()).isEqualTo(6);
        assertThat(r.single()).isFalse();
        assertThat(r).hasToString("3000-3005");
    }

    @Test
    void parsesBoundsAndSurroundingSpace() {
        assertThat(PortRange.parse("0")).isEqualTo(PortRange.of(0));
        assertThat(PortRange.parse(" 65535 ")).isEqualTo(PortRange.of(65535));
        assertThat(PortRange.parse("0-65535").size()).isEqualTo(65536);
    }

    @Test
    void rejectsPortAboveMaxNamingIt() {
        assertThatThrownBy(() -> PortRange.parse("70000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000")
                .hasMessageContaining("0-65535");
    }

    @Test
    void rejectsNegativePortNamingIt() {
        assertThatThrownBy(() -> PortRange.parse("-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void rejectsWordNamingIt() {
        assertThatThrownBy(() -> PortRange.parse("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'abc'");
    }

    @Test
    void rejectsEmptySayingSo() {
        assertThatThrownBy(() -> PortRange.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> PortRange.parse("   "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void rejectsBackwardsRangeNamingIt() {
        assertThatThrownBy(() -> PortRange.parse("5-3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5-3");
    }

    @Test
    void rejectsRangeEndAboveMaxNamingTheWholeValue() {
        assertThatThrownBy(() -> PortRange.parse("3000-70000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3000-70000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"80-", "-80", "80--90", "1e3", "+80", "8 0", "１２３", "99999999999"})
    void rejectsOtherMalformedTextNamingIt(String text) {
        assertThatThrownBy(() -> PortRange.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.strip());
    }

    @Test
    void constructorRejectsOutOfRange() {
        assertThatThrownBy(() -> new PortRange(-1, 5)).hasMessageContaining("got -1");
        assertThatThrownBy(() -> new PortRange(5, 65536)).hasMessageContaining("got 65536");
    }

    @Test
    void containsAndOverlapsAreInclusive() {
        PortRange r = new PortRange(3000, 3005);
        assertThat(r.contains(2999)).isFalse();
        assertThat(r.contains(3000)).isTrue();
        assertThat(r.contains(3005)).isTrue();
        assertThat(r.contains(3006)).isFalse();
        assertThat(r.overlaps(PortRange.of(3005))).isTrue();
        assertThat(r.overlaps(new PortRange(2990, 3000))).isTrue();
        assertThat(r.overlaps(PortRange.of(3006))).isFalse();
    }
}
