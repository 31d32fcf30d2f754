package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.ListenerFeed;
import org.portlens.discovery.Query;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Transport;
import org.portlens.testkit.HandOver;

/**
 * The watcher's feed on this machine: what a read that reuses the owners it found before says
 * about sockets the test opens, hands over and closes, against a full read.
 */
class CachingFeedIT {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<Listener> on(Discovery d, int port) {
        return d.listeners().stream().filter(l -> l.local().port() == port).toList();
    }

    static List<Integer> pids(List<Listener> ls) {
        return ls.stream()
                .flatMap(l -> l.processes().stream())
                .map(ProcessInfo::pid)
                .distinct()
                .toList();
    }

    @Test
    void aCachedReadSaysWhatAFullReadSays() throws Exception {
        LinuxSocketTable table = LinuxSocketTable.system();
        Query tcp = new Query(EnumSet.of(Transport.TCP), Optional.empty());
        ListenerFeed feed = table.feed(tcp);
        try (ServerSocket mine = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = mine.getLocalPort();
            feed.next();
            Discovery cached = feed.next();
            Discovery full = table.read(tcp);
            assertThat(pids(on(cached, port)))
                    .containsExactly((int) ProcessHandle.current().pid());
            assertThat(on(cached, port)).isEqualTo(on(full, port));
        }
    }

    @Test
    void aSocketHandedToAChildIsSeenHeldByTheChild() throws Exception {
        int port = freePort();
        ListenerFeed feed =
                LinuxSocketTable.system().feed(new Query(EnumSet.of(Transport.TCP), Optional.of(PortRange.of(port))));
        try (HandOver h = HandOver.start(port)) {
            assertThat(pids(on(feed.next(), port))).containsExactly(h.parentPid());
            assertThat(pids(on(feed.next(), port))).containsExactly(h.parentPid());

            h.handOver();

            // the parent is gone, so its descriptor no longer names the socket: the feed reads again
            assertThat(pids(on(feed.next(), port))).containsExactly(h.childPid());
        }
        assertThat(on(feed.next(), port)).isEmpty();
    }
}
