package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SockStat} on recorded counters, and {@link SocketTables#rows} on a fake /proc tree. */
class SockStatTest {

    private static String recorded(String name) throws IOException {
        try (InputStream in = SockStatTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void countsEveryRowOfTheFourTablesOfABusyHost() throws IOException {
        // TCP inuse 42196 + tw 0 + UDP inuse 800 + TCP6 inuse 800 + UDP6 inuse 200
        assertThat(SockStat.rows(recorded("sockstat-busy.txt"), recorded("sockstat6-busy.txt")))
                .isEqualTo(42_196 + 800 + 800 + 200);
    }

    @Test
    void countsTimeWaitSocketsTheTcpFileShowsToo() {
        String sockstat = "sockets: used 900\nTCP: inuse 120 orphan 2 tw 4000 alloc 130 mem 3\nUDP: inuse 5 mem 1\n";
        assertThat(SockStat.rows(sockstat, "")).isEqualTo(120 + 4000 + 5);
    }

    @Test
    void takesTheCounterOfTheNamedProtocolNotOfOneWithTheSamePrefix() {
        String sockstat = "UDPLITE: inuse 7\nUDP: inuse 3 mem 0\n";
        assertThat(SockStat.counter(sockstat, "UDP", "inuse")).isEqualTo(3);
        assertThat(SockStat.counter("UDPLITE6: inuse 9\nUDP6: inuse 2\n", "UDP6", "inuse"))
                .isEqualTo(2);
    }

    @Test
    void readsNothingFromMissingEmptyOrGarbledCounters() {
        assertThat(SockStat.rows("", "")).isZero();
        assertThat(SockStat.counter("TCP: inuse\n", "TCP", "inuse")).isZero();
        assertThat(SockStat.counter("TCP: inuse lots tw 3\n", "TCP", "inuse")).isZero();
        assertThat(SockStat.counter("TCP: inuse -5\n", "TCP", "inuse")).isZero();
        assertThat(SockStat.counter("TCP: orphan 1 tw 3\n", "TCP", "inuse")).isZero();
        assertThat(SockStat.counter("TCP: inuse 99999999999999999999999\n", "TCP", "inuse"))
                .isZero();
        assertThat(SockStat.counter("tcp: inuse 4\n", "TCP", "inuse"))
                .as("case matters")
                .isZero();
    }

    @Test
    void sumsTheCountersOfEveryNamespaceTheTablesWouldRead(@TempDir Path proc) throws IOException {
        Files.createDirectories(proc.resolve("self/ns"));
        Files.createSymbolicLink(proc.resolve("self/ns/net"), Path.of("net:[4026531840]"));
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/sockstat"), "TCP: inuse 10 orphan 0 tw 1 alloc 10 mem 0\n");
        Files.createDirectories(proc.resolve("42/ns"));
        Files.createSymbolicLink(proc.resolve("42/ns/net"), Path.of("net:[4026532999]"));
        Files.createDirectories(proc.resolve("42/net"));
        Files.writeString(proc.resolve("42/net/sockstat"), "TCP: inuse 100 orphan 0 tw 0\nUDP: inuse 2 mem 0\n");
        Files.writeString(proc.resolve("42/net/sockstat6"), "TCP6: inuse 30\n");
        SocketTables tables = new SocketTables(new ProcRoot(proc), List.of());
        SocketTables.Namespaces ns = tables.namespaces(List.of(42), true);
        assertThat(ns.all()).hasSize(2);
        assertThat(tables.rows(ns)).isEqualTo(11 + 132);
    }
}
