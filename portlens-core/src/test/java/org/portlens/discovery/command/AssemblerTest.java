package org.portlens.discovery.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.model.Endpoint;
import org.portlens.model.Source;
import org.portlens.model.Transport;

class AssemblerTest {

    private static ProcessRow process(int pid, int ppid, String name, String started) {
        return new ProcessRow(pid, ppid, name, null, List.of(name), -1, "", Instant.parse(started), "", List.of());
    }

    @Test
    void aParentThatStartedAfterItsChildIsAReusedPidNotItsParent() {
        // Windows: node's parent cmd.exe (pid 7316) exited, and 7316 now names a later process
        Map<Integer, ProcessRow> all = Map.of(
                4242, process(4242, 7316, "node.exe", "2026-12-02T06:32:04Z"),
                7316, process(7316, 5204, "notepad.exe", "2026-12-02T07:00:00Z"),
                5204, process(5204, 5180, "explorer.exe", "2026-12-02T06:00:00Z"));
        assertThat(Assembler.chain(all.get(4242), all))
                .extracting(ProcessRow::name)
                .containsExactly("node.exe");
        Map<Integer, ProcessRow> real = Map.of(
                4242, process(4242, 7316, "node.exe", "2026-12-02T06:32:04Z"),
                7316, process(7316, 5204, "cmd.exe", "2026-12-02T06:30:00Z"),
                5204, process(5204, 5180, "explorer.exe", "2026-12-02T06:00:00Z"));
        assertThat(Assembler.chain(real.get(4242), real))
                .extracting(ProcessRow::name)
                .containsExactly("node.exe", "cmd.exe", "explorer.exe");
    }

    @Test
    void aLoopInTheParentsEnds() {
        Map<Integer, ProcessRow> loop =
                Map.of(1, process(1, 2, "a", "2026-12-02T06:00:00Z"), 2, process(2, 1, "b", "2026-12-02T06:00:00Z"));
        assertThat(Assembler.chain(loop.get(1), loop)).hasSize(2);
    }

    @Test
    void anIpv6WildcardWithoutATwinIsWhatThePlatformSaysWhenNoToolSays() {
        SocketRow v6 = new SocketRow(
                Transport.TCP, "::", 7070, true, SocketRow.State.LISTEN, 9, -1, SocketRow.DualStack.UNKNOWN);
        Map<Integer, ProcessRow> ps = Map.of(9, process(9, 1, "srv", "2026-12-02T06:00:00Z"));
        for (Endpoint.DualStack unsaid : List.of(Endpoint.DualStack.LIKELY, Endpoint.DualStack.NOT_APPLICABLE)) {
            Snapshot s = new Snapshot(List.of(v6), true, List.of(), ps, true, "", List.of(), 0, unsaid);
            Discovery d = Assembler.assemble(Query.all(), s, chain -> Source.unknown("test"));
            assertThat(d.listeners().get(0).local().dualStack()).isEqualTo(unsaid);
        }
    }
}
