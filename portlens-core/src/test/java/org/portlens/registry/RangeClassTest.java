package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeClassTest {

    @ParameterizedTest
    @CsvSource({"0, SYSTEM", "1023, SYSTEM", "1024, USER", "49151, USER", "49152, DYNAMIC", "65535, DYNAMIC"})
    void classifiesBoundaries(int port, RangeClass expected) {
        assertThat(RangeClass.of(port)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void rejectsPortsOutsideZeroTo65535NamingThem(int port) {
        assertThatThrownBy(() -> RangeClass.of(port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be 0-65535, got " + port);
    }

    @Test
    void rangesTileZeroTo65535() {
        assertThat(RangeClass.SYSTEM.low()).isZero();
        assertThat(RangeClass.USER.low()).isEqualTo(RangeClass.SYSTEM.high() + 1);
        assertThat(RangeClass.DYNAMIC.low()).isEqualTo(RangeClass.USER.high() + 1);
        assertThat(RangeClass.DYNAMIC.high()).isEqualTo(65535);
        for (RangeClass c : RangeClass.values()) {
            assertThat(RangeClass.of(c.low())).isEqualTo(c);
            assertThat(RangeClass.of(c.high())).isEqualTo(c);
        }
    }
}
