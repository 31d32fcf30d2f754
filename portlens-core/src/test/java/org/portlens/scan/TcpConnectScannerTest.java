package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.model.Transport;

/** The parts of the scanner that need no network: self-connect detection, options, the report, pacing. */
class TcpConnectScannerTest {

    static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    @Test
    void recognisesASocketConnectedToItself() throws UnknownHostException {
        InetAddress lo = ip("127.0.0.1");
        assertThat(TcpConnectScanner.isSelfConnect(new InetSocketAddress(lo, 40001), lo, 40001))
                .isTrue();
        InetAddress v6 = ip("::1");
        assertThat(TcpConnectScanner.isSelfConnect(new InetSocketAddress(v6, 50000), v6, 50000))
                .isTrue();
    }

    @Test
    void anOrdinaryConnectionIsNotASelfConnect() throws UnknownHostException {
        InetAddress lo = ip("127.0.0.1");
        // same address, another source port: the usual case
        assertThat(TcpConnectScanner.isSelfConnect(new InetSocketAddress(lo, 40002), lo, 40001))
                .isFalse();
        // same port number, another address (another loopback address, or a remote host)
        assertThat(TcpConnectScanner.isSelfConnect(new InetSocketAddress(ip("127.0.0.2"), 40001), lo, 40001))
                .isFalse();
        assertThat(TcpConnectScanner.isSelfConnect(new InetSocketAddress(ip("10.0.0.5"), 22), ip("10.0.0.6"), 22))
                .isFalse();
        assertThat(TcpConnectScanner.isSelfConnect(null, lo, 40001)).isFalse();
    }

    @Test
    void optionsRejectNonsenseNamingTheValue() {
        ScanOptions d = ScanOptions.defaults();
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.maxInFlight()).isEqualTo(4096);
        assertThat(d.rate()).isZero();
        assertThat(d.threads()).isBetween(1, 4);
        assertThatThrownBy(() -> d.withTimeout(Duration.ZERO)).hasMessage("timeout must be positive, got 0 ms");
        assertThatThrownBy(() -> d.withMaxInFlight(0)).hasMessage("max in flight must be at least 1, got 0");
        assertThatThrownBy(() -> d.withRate(-5)).hasMessageContaining("got -5");
        assertThatThrownBy(() -> d.withThreads(0)).hasMessage("threads must be 1-64, got 0");
        assertThatThrownBy(() -> d.withRetries(11)).hasMessage("retries must be 0-10, got 11");
        assertThat(d.withRate(1000).withThreads(1).withRetries(0).withMaxInFlight(8))
                .isEqualTo(new ScanOptions(Duration.ofSeconds(1), 8, 1000, 1, 0));
    }

    @Test
    void aScanOnAnotherSystemThanLinuxSaysItUsedNio() {
        assertThat(TcpConnectScanner.nioElsewhere(org.portlens.internal.OperatingSystem.LINUX))
                .isEmpty();
        assertThat(TcpConnectScanner.nioElsewhere(org.portlens.internal.OperatingSystem.MACOS))
                .isEqualTo("native sockets are Linux only: this macOS scan used Java NIO");
        assertThat(TcpConnectScanner.nioElsewhere(org.portlens.internal.OperatingSystem.WINDOWS))
                .contains("Windows scan used Java NIO");
        ScanReport r = new ScanReport("::1", Transport.TCP, Map.of(), 1, 0, ScanReport.Engine.NIO);
        assertThat(r.engineNote()).isEmpty();
        assertThat(r.withEngineNote("x").engineNote()).isEqualTo("x");
        assertThat(r.withEngineNote("x").engine()).isEqualTo(ScanReport.Engine.NIO);
    }

    @Test
    void reportCountsEveryStateAndListsOpenPorts() {
        Map<PortState, PortSet> m = new EnumMap<>(PortState.class);
        m.put(PortState.OPEN, PortSet.of(22, 80));
        m.put(PortState.CLOSED, PortSet.range(1, 10));
        ScanReport r = new ScanReport("127.0.0.1", Transport.TCP, m, 12, 1, ScanReport.Engine.NIO);
        assertThat(r.portsScanned()).isEqualTo(12);
        assertThat(r.open()).containsExactly(new PortResult(22, PortState.OPEN), new PortResult(80, PortState.OPEN));
        assertThat(r.count(PortState.FILTERED)).isZero();
        assertThat(r.ports(PortState.OPEN_FILTERED).isEmpty()).isTrue();
        assertThat(r.counts())
                .containsEntry(PortState.CLOSED, 10)
                .containsEntry(PortState.OPEN, 2)
                .hasSize(4);
        assertThat(r.counts().keySet()).containsExactly(PortState.values());
        assertThatThrownBy(() -> r.ports().put(PortState.OPEN, PortSet.all()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.selfConnects()).isEqualTo(1);
    }

    @Test
    void pacerHandsOutTokensAtTheRate() {
        long t = 1_000_000_000L; // any nanoTime value: the pacer only looks at differences
        SweepWorker.Pacer p = new SweepWorker.Pacer(1000, t); // one per millisecond, burst 10
        assertThat(p.take(t, 16)).isEqualTo(1);
        assertThat(p.ready(t)).isFalse();
        assertThat(p.nanosUntilNext(t)).isEqualTo(1_000_000L);
        assertThat(p.take(t + 5_000_000, 16)).isEqualTo(5);
        assertThat(p.take(t + 1_005_000_000L, 16)).isEqualTo(10); // never more than the burst
        assertThat(p.ready(t + 1_005_000_000L)).isFalse();
        assertThat(p.nanosUntilNext(t + 1_005_000_000L)).isEqualTo(1_000_000L);
    }

    @Test
    void portStatesHaveNmapLabelsAndCompactCodes() {
        assertThat(PortState.OPEN_FILTERED.label()).isEqualTo("open|filtered");
        for (PortState s : PortState.values()) {
            assertThat(PortState.ofCode(s.code())).isEqualTo(s);
        }
        assertThat(PortState.ofCode((byte) 0)).isNull();
    }

    @Test
    void aReportNamesItsEngine() {
        EnumMap<PortState, PortSet> m = new EnumMap<>(PortState.class);
        assertThat(new ScanReport("::1", Transport.TCP, m, 1, 0, ScanReport.Engine.NATIVE)
                        .engine()
                        .label())
                .isEqualTo("native");
        assertThat(ScanReport.Engine.NIO.label()).isEqualTo("nio");
        assertThatThrownBy(() -> new ScanReport("::1", Transport.TCP, m, 1, 0, null))
                .hasMessage("engine is required");
    }
}
