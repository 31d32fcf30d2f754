package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortSetTest {

    @Test
    void parsesListOfPortsAndRanges() {
        PortSet s = PortSet.parse("1-1024,3640,8000-9000");
        assertThat(s.size()).isEqualTo(1024 + 1 + 1001);
        assertThat(s.contains(1)).isTrue();
        assertThat(s.contains(1024)).isTrue();
        assertThat(s.contains(1025)).isFalse();
        assertThat(s.contains(3640)).isTrue();
        assertThat(s.contains(8500)).isTrue();
        assertThat(s.contains(9001)).isFalse();
        assertThat(s).hasToString("1-1024,3640,8000-9000");
    }

    @Test
    void parsesSinglePort() {
        PortSet s = PortSet.parse("3640");
        assertThat(s.size()).isEqualTo(1);
        assertThat(s.toArray()).containsExactly(3640);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-", " - ", "-p-", "1-65535", "1-", "-65535", "0001-65535"})
    void readsEveryWayOfSayingAllPorts(String spec) {
        PortSet s = PortSet.parse(spec);
        assertThat(s.size()).isEqualTo(65535);
        assertThat(s).isEqualTo(PortSet.all());
        assertThat(s.first()).isEqualTo(1);
        assertThat(s.contains(65535)).isTrue();
        assertThat(s.contains(0)).isFalse();
        assertThat(s).hasToString("-");
    }

    @Test
    void readsOpenEndedRangesAsNmapDoes() {
        assertThat(PortSet.parse("-1024")).isEqualTo(PortSet.range(1, 1024));
        assertThat(PortSet.parse("60000-")).isEqualTo(PortSet.range(60000, 65535));
        assertThat(PortSet.parse("-p22,80")).isEqualTo(PortSet.of(22, 80));
    }

    @Test
    void iteratesInAscendingOrderWithoutDuplicates() {
        PortSet s = PortSet.parse("9000, 22, 80-82,81, 65535,1");
        List<Integer> seen = new ArrayList<>();
        for (int p : s) {
            seen.add(p);
        }
        assertThat(seen).containsExactly(1, 22, 80, 81, 82, 9000, 65535);
        assertThat(s.size()).isEqualTo(7);
        assertThat(s.stream().toArray()).containsExactly(1, 22, 80, 81, 82, 9000, 65535);
        assertThat(s.toArray()).containsExactly(1, 22, 80, 81, 82, 9000, 65535);
        assertThat(s.next(83)).isEqualTo(9000);
        assertThat(s.next(65536)).isEqualTo(-1);
    }

    @Test
    void overlappingHugeSpecIsJustTheFullRange() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(i == 0 ? "" : ",").append("1-65535");
        }
        assertThat(sb.length()).isLessThan(PortSet.MAX_SPEC_LENGTH);
        assertThat(PortSet.parse(sb.toString())).isEqualTo(PortSet.all());
    }

    @Test
    void roundTripsThroughToString() {
        PortSet s = PortSet.of(1, 2, 3, 5, 65534, 65535);
        assertThat(s).hasToString("1-3,5,65534-65535");
        assertThat(PortSet.parse(s.toString())).isEqualTo(s);
        assertThat(PortSet.empty()).hasToString("");
        assertThat(PortSet.empty().first()).isEqualTo(-1);
        assertThat(PortSet.of(80).union(PortSet.of(22))).isEqualTo(PortSet.parse("22,80"));
    }

    @Test
    void rejectsPortZeroSayingWhy() {
        assertThatThrownBy(() -> PortSet.parse("0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 0 can't be scanned")
                .hasMessageContaining("1-65535");
        assertThatThrownBy(() -> PortSet.parse("22,0-100"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 0 can't be scanned")
                .hasMessageContaining("'0-100'");
        assertThatThrownBy(() -> PortSet.of(0)).hasMessageContaining("port 0 can't be scanned");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "70000|port must be 1-65535, got 70000",
                "22,65536|port must be 1-65535, got 65536",
                "1-70000|port must be 1-65535, got 1-70000",
                "99999999999999999999|port must be 1-65535, got 99999999999999999999",
                "5-3|port range must run low to high, got 5-3",
                "abc|not a port: 'abc'",
                "80,http|not a port: 'http'",
                "1-2-3|not a port: '1-2-3'",
                "8 0|not a port: '8 0'",
                "22,,80|empty part #2",
                "22,|empty part #2",
            })
    void rejectsBadPartsNamingThem(String spec, String message) {
        assertThatThrownBy(() -> PortSet.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsEmptySpecWithWhatIsExpected() {
        for (String spec : new String[] {"", "   ", "-p"}) {
            assertThatThrownBy(() -> PortSet.parse(spec))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty port spec")
                    .hasMessageContaining("expected ports 1-65535");
        }
        assertThatThrownBy(() -> PortSet.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAbsurdlyLongSpecWithoutEchoingIt() {
        String spec = "1,".repeat(50_001);
        assertThatThrownBy(() -> PortSet.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port spec too long: 100002 characters, at most 100000")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }

    @Test
    void clipsLongGarbageInMessages() {
        String junk = "x".repeat(5000);
        assertThatThrownBy(() -> PortSet.parse(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200))
                .hasMessageContaining("xxx...");
    }

    @Test
    void rangeFactoryChecksItsBounds() {
        assertThat(PortSet.range(10, 12).toArray()).containsExactly(10, 11, 12);
        assertThatThrownBy(() -> PortSet.range(12, 10)).hasMessageContaining("low to high, got 12-10");
        assertThatThrownBy(() -> PortSet.range(1, 65536)).hasMessageContaining("port must be 1-65535, got 1-65536");
    }
}
