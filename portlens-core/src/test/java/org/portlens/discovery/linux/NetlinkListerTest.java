package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.discovery.Query;
import org.portlens.model.Endpoint;

/**
 * {@link NetlinkLister} on JDK 17, over a channel that answers each request with the kernel's recorded
 * reply ({@link SockDiagTest}'s fixtures, recorded in the order the lister asks: tcp, tcp6, udp, udp6,
 * sequence numbers 1 to 4), and a fake /proc tree whose tables hold a different socket, to tell which
 * of the two a row came from. The tables' lines are in the kernel's format (see LinuxSocketTableTest).
 */
class NetlinkListerTest {

    private static final String TCP_HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    /** 127.0.0.1:8080 listening, inode 777, in the fake tree's net/tcp. */
    private static final String PROC_LISTENER =
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1"
                    + " 0000000000000000 100 0 0 10 0";

    @TempDir
    Path proc;

    private SocketTables tables() throws IOException {
        Files.createDirectories(proc.resolve("self/ns"));
        Files.createSymbolicLink(proc.resolve("self/ns/net"), Path.of("net:[4026531840]"));
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/tcp"), TCP_HEADER + "\n" + PROC_LISTENER + "\n");
        return new SocketTables(new ProcRoot(proc), List.of());
    }

    /** Answers each request with the recording for its family and protocol, datagram by datagram. */
    private static final class Replay implements NetlinkChannel {
        private final UnaryOperator<ByteBuffer> change;
        private final Deque<ByteBuffer> pending = new ArrayDeque<>();

        Replay(UnaryOperator<ByteBuffer> change) {
            this.change = change;
        }

        @Override
        public void send(ByteBuffer request) throws IOException {
            ByteBuffer r = request.duplicate().order(ByteOrder.nativeOrder());
            boolean v6 = r.get(16) == SockDiag.AF_INET6;
            String proto = r.get(17) == SockDiag.IPPROTO_TCP ? "tcp" : "udp";
            for (ByteBuffer d : SockDiagTest.recorded("sock-diag-" + proto + (v6 ? "6" : "4") + ".hex")) {
                pending.add(change.apply(d));
            }
        }

        @Override
        public ByteBuffer receive() throws IOException {
            if (pending.isEmpty()) {
                throw new IOException("nothing more to receive");
            }
            return pending.remove();
        }

        @Override
        public void close() {}
    }

    private static NetlinkChannel.Opener opener(UnaryOperator<ByteBuffer> change) {
        return new NetlinkChannel.Opener() {
            @Override
            public NetlinkChannel open() {
                return new Replay(change);
            }

            @Override
            public NetlinkChannel openIn(Path namespace) throws IOException {
                throw new IOException("setns: errno 1");
            }
        };
    }

    private static List<Long> inodes(SocketTables.Result r) {
        return r.sockets().stream().map(f -> f.entry().inode()).toList();
    }

    @Test
    void readsTheNamespaceOverNetlinkWithTheProcListersEndpoints() throws IOException {
        SocketTables tables = tables();
        SocketTables.Result r =
                new NetlinkLister(new ProcRoot(proc), tables, opener(d -> d)).read(List.of(), Query.all(), true);
        assertThat(inodes(r))
                .as("netlink's sockets in request order, not the tables' 777")
                .containsExactly(6281822L, 6281821L, 6281824L, 6281823L, 6281829L, 6281831L);
        assertThat(r.sockets()).allSatisfy(f -> assertThat(f.ns().current()).isTrue());
        assertThat(r.sockets())
                .extracting(f -> f.local().address() + ":" + f.local().port() + " "
                        + f.local().dualStack())
                .contains("127.0.0.1:41673 NOT_APPLICABLE", ":::41583 " + Endpoint.DualStack.LIKELY);
        assertThat(r.established()).as("not counted for a query of every port").isZero();
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void aNamespaceNetlinkCannotOpenComesFromItsProcFiles() throws IOException {
        SocketTables tables = tables();
        NetlinkChannel.Opener refusing = new NetlinkChannel.Opener() {
            @Override
            public NetlinkChannel open() throws IOException {
                throw new IOException("socket: errno 97");
            }

            @Override
            public NetlinkChannel openIn(Path namespace) throws IOException {
                throw new IOException("setns: errno 1");
            }
        };
        SocketTables.Result r =
                new NetlinkLister(new ProcRoot(proc), tables, refusing).read(List.of(), Query.all(), true);
        assertThat(inodes(r)).containsExactly(777L);
        assertThat(inodes(r)).isEqualTo(inodes(tables.read(List.of(), Query.all(), true)));
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void onJdk17EveryChoiceIsTheProcFiles() throws IOException {
        assumeTrue(Runtime.version().feature() < 22, "JDK 22+ loads the netlink layer: NetlinkListerIT covers it");
        SocketTables tables = tables();
        assertThat(NetlinkSupport.possible()).isFalse();
        assertThat(NetlinkSupport.opener()).isEmpty();
        for (String setting : new String[] {null, "proc", "netlink", "other"}) {
            assertThat(SocketListers.choose(new ProcRoot(proc), List.of(), setting)
                            .name())
                    .as(String.valueOf(setting))
                    .isEqualTo(tables.name());
        }
    }

    @Test
    void aReplyCutOffSendsTheWholeNamespaceToItsProcFiles() throws IOException {
        SocketTables tables = tables();
        UnaryOperator<ByteBuffer> cut = d -> d.limit() > 100 ? d.duplicate().limit(d.limit() - 30) : d;
        SocketTables.Result r =
                new NetlinkLister(new ProcRoot(proc), tables, opener(cut)).read(List.of(), Query.all(), true);
        assertThat(inodes(r)).as("none of netlink's rows, all of the tables'").containsExactly(777L);
    }
}
