package org.portlens.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portlens.testkit.Fixtures.BLUE;
import static org.portlens.testkit.Fixtures.SHELL;
import static org.portlens.testkit.Fixtures.SSH_UNIT;
import static org.portlens.testkit.Fixtures.owner;
import static org.portlens.testkit.Fixtures.process;
import static org.portlens.testkit.Fixtures.table;
import static org.portlens.testkit.Fixtures.tcp;
import static org.portlens.testkit.Fixtures.udp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;

/** Events between recorded reads: pure functions, and the watcher over a feed of recorded reads. */
class ChangesTest {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);

    final ProcessInfo sshd = process(812, "/usr/sbin/sshd", "root", SSH_UNIT);
    final ProcessInfo python = process(13789, "/usr/bin/python3.11", "root", SHELL);

    static Map<Place, Listener> places(Listener... ls) {
        return Changes.byPlace(List.of(ls));
    }

    static List<String> kinds(List<WatchEvent> events) {
        return events.stream()
                .map(e -> e.kind().label() + " " + e.listener().transport().label() + " "
                        + e.listener().local().hostPort())
                .toList();
    }

    @Test
    void nothingChangedIsNoEvent() {
        Map<Place, Listener> a = places(tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)));
        assertThat(Changes.between(a, a, T1)).isEmpty();
    }

    @Test
    void closesThenOwnerChangesThenOpensEachInPortOrder() {
        ProcessInfo other = process(900, "/usr/bin/python3.11", "root", SHELL);
        Map<Place, Listener> before = places(
                tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)),
                tcp("127.0.0.1", 8080, BindScope.LOOPBACK, false, owner(python)),
                tcp("127.0.0.1", 5000, BindScope.LOOPBACK, false, owner(python)));
        Map<Place, Listener> now = places(
                tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)),
                tcp("127.0.0.1", 8080, BindScope.LOOPBACK, false, owner(other)),
                tcp("127.0.0.1", 9000, BindScope.LOOPBACK, false, owner(python)),
                udp("0.0.0.0", 53, BLUE, owner(python)),
                tcp("127.0.0.1", 3000, BindScope.LOOPBACK, false, owner(python)));

        List<WatchEvent> events = Changes.between(before, now, T1);

        assertThat(kinds(events))
                .containsExactly(
                        "closed tcp 127.0.0.1:5000",
                        "owner-changed tcp 127.0.0.1:8080",
                        "opened tcp 127.0.0.1:3000",
                        "opened tcp 127.0.0.1:9000",
                        "opened udp 0.0.0.0:53");
        assertThat(events).allSatisfy(e -> assertThat(e.at()).isEqualTo(T1));
        WatchEvent.OwnerChanged changed = (WatchEvent.OwnerChanged) events.get(1);
        assertThat(Changes.principal(changed.before())).isEqualTo(python);
        assertThat(Changes.principal(changed.listener())).isEqualTo(other);
        assertThat(((WatchEvent.Closed) events.get(0)).listener().processes()).containsExactly(python);
    }

    @Test
    void theSamePlaceInAnotherNamespaceIsAnotherListener() {
        Map<Place, Listener> before = places(udp("0.0.0.0", 53, org.portlens.testkit.Fixtures.HOST, owner(python)));
        Map<Place, Listener> now = places(udp("0.0.0.0", 53, BLUE, owner(python)));
        assertThat(kinds(Changes.between(before, now, T1)))
                .containsExactly("closed udp 0.0.0.0:53", "opened udp 0.0.0.0:53");
    }

    @Test
    void aWorkerForkedBesideItsParentIsNoOwnerChange() {
        ProcessInfo master = process(100, 1, "/usr/sbin/nginx", "root", SHELL, T0.minusSeconds(60));
        ProcessInfo worker = process(101, 100, "/usr/sbin/nginx", "www-data", SHELL, T0.minusSeconds(59));
        Map<Place, Listener> before = places(tcp("0.0.0.0", 80, BindScope.ALL, false, owner(master)));
        Map<Place, Listener> now = places(tcp("0.0.0.0", 80, BindScope.ALL, false, owner(worker), owner(master)));
        assertThat(Changes.between(before, now, T1)).isEmpty();
        assertThat(Changes.principal(now.values().iterator().next())).isEqualTo(master);
    }

    @Test
    void aHandOverToAChildWhoseParentExitedIsAnOwnerChange() {
        ProcessInfo parent = process(200, 1, "/usr/bin/python3.11", "root", SHELL, T0.minusSeconds(10));
        ProcessInfo child = process(201, 200, "/usr/bin/python3.11", "root", SHELL, T0.minusSeconds(5));
        Map<Place, Listener> a = places(tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, owner(parent)));
        Map<Place, Listener> both =
                places(tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, owner(parent), owner(child)));
        Map<Place, Listener> c = places(tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, owner(child)));
        assertThat(Changes.between(a, both, T1)).isEmpty();
        assertThat(kinds(Changes.between(both, c, T1))).containsExactly("owner-changed tcp 127.0.0.1:3640");
    }

    @Test
    void aReusedPidWithAnotherStartTimeIsAnotherOwner() {
        ProcessInfo first = process(300, 1, "/usr/bin/python3.11", "root", SHELL, T0.minusSeconds(100));
        ProcessInfo reused = process(300, 1, "/usr/bin/python3.11", "root", SHELL, T0.minusSeconds(1));
        Map<Place, Listener> a = places(tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, owner(first)));
        Map<Place, Listener> b = places(tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, owner(reused)));
        assertThat(kinds(Changes.between(a, b, T1))).containsExactly("owner-changed tcp 127.0.0.1:3640");
    }

    @Test
    void anOwnerThatCouldNotBeReadOnEitherSideIsNoChange() {
        Listener known = tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, owner(python));
        Listener hidden = tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, new Owner.Hidden("other user"));
        Listener gone = tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, new Owner.Gone(13789));
        assertThat(Changes.between(places(known), places(hidden), T1)).isEmpty();
        assertThat(Changes.between(places(hidden), places(known), T1)).isEmpty();
        assertThat(Changes.between(places(known), places(gone), T1)).isEmpty();
    }

    @Test
    void socketsSharingAPlaceAreOneListenerWithEveryOwner() {
        ProcessInfo second = process(13790, "/usr/bin/python3.11", "root", SHELL);
        Map<Place, Listener> m = places(
                tcp("0.0.0.0", 8080, BindScope.ALL, false, owner(python)),
                tcp("0.0.0.0", 8080, BindScope.ALL, false, owner(second)));
        assertThat(m).hasSize(1);
        assertThat(m.values().iterator().next().processes()).containsExactly(python, second);
    }

    @Test
    void theFirstReadIsPresentThenOnlyChanges() {
        Deque<Discovery> reads = new ArrayDeque<>(List.of(
                table(tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd))),
                table(tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd))),
                table(
                        tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)),
                        tcp("127.0.0.1", 3640, BindScope.LOOPBACK, false, owner(python))),
                table(tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)))));
        Watcher w = new Watcher(reads::removeFirst, Clock.fixed(T0, ZoneOffset.UTC));

        assertThat(kinds(w.poll())).containsExactly("present tcp 0.0.0.0:22");
        assertThat(w.poll()).isEmpty();
        assertThat(kinds(w.poll())).containsExactly("opened tcp 127.0.0.1:3640");
        assertThat(kinds(w.poll())).containsExactly("closed tcp 127.0.0.1:3640");
        assertThat(w.lastRead().listeners()).hasSize(1);
    }

    @Test
    void theWaitStretchesSoThatReadingStaysUnderItsShare() {
        // cheap reads: the interval minus the read
        assertThat(Watcher.pause(Duration.ofSeconds(1), 0.02, Duration.ofMillis(5)))
                .isEqualTo(Duration.ofMillis(995));
        // a 100 ms read at 2% needs 4.9 s of rest
        assertThat(Watcher.pause(Duration.ofSeconds(1), 0.02, Duration.ofMillis(100)))
                .isEqualTo(Duration.ofMillis(4900));
        // 100% allowed: back to back when a read is longer than the interval
        assertThat(Watcher.pause(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(2)))
                .isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> Watcher.pause(Duration.ofSeconds(1), 0, Duration.ZERO))
                .hasMessageContaining("(0, 1]");
    }
}
