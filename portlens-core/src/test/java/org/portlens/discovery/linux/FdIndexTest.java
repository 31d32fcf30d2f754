package org.portlens.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indexes the descriptors of a fake /proc tree: {@code PID/fd/N} symlinks to the targets Linux
 * gives them ({@code socket:[N]}, {@code pipe:[N]}, paths), as {@code ls -l /proc/self/fd} shows
 * on kernel 6.18 (see {@link ProcLinksTest}).
 */
class FdIndexTest {

    @TempDir
    Path dir;

    private Path proc;

    private void holds(int pid, String fd, String target) throws IOException {
        Path fdDir = Files.createDirectories(proc.resolve(pid + "/fd"));
        Files.createSymbolicLink(fdDir.resolve(fd), Path.of(target));
    }

    private FdIndex index(List<Integer> pids, Set<Long> inodes) {
        return FdIndex.start(new ProcRoot(proc), pids).finish(inodes);
    }

    /** Removes the tree before JUnit does, which warns about symlinks pointing out of the directory. */
    @AfterEach
    void removeTree() throws IOException {
        if (proc == null || !Files.exists(proc)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(proc)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void listsHoldersOfASocketByPidThenFd() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        holds(813, "7", "socket:[1001]");
        holds(813, "6", "socket:[1001]");
        holds(812, "6", "socket:[1001]");
        holds(812, "0", "/dev/null");
        holds(812, "5", "pipe:[77001]");

        FdIndex fds = index(List.of(813, 812), Set.of(1001L));

        assertThat(fds.holders(1001L))
                .containsExactly(new FdIndex.Holder(812, 6), new FdIndex.Holder(813, 6), new FdIndex.Holder(813, 7));
        assertThat(fds.scanned()).isEqualTo(2);
        assertThat(fds.unreadable()).isZero();
        assertThat(fds.vanished()).isZero();
    }

    @Test
    void keepsOnlyTheSocketsAskedFor() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        holds(900, "3", "socket:[2001]");
        holds(900, "4", "socket:[2002]");

        FdIndex fds = index(List.of(900), Set.of(2001L));

        assertThat(fds.holders(2001L)).containsExactly(new FdIndex.Holder(900, 3));
        assertThat(fds.holders(2002L)).isEmpty();
        assertThat(fds.holders(77001L)).isEmpty();
    }

    @Test
    void countsProcessThatExitedAsVanished() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        holds(900, "3", "socket:[2001]");

        FdIndex fds = index(List.of(900, 950), Set.of(2001L));

        assertThat(fds.scanned()).isEqualTo(1);
        assertThat(fds.vanished()).isEqualTo(1);
        assertThat(fds.holders(2001L)).containsExactly(new FdIndex.Holder(900, 3));
    }

    @Test
    void findsEveryHolderWhenHelperThreadsShareTheWork() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        List<Integer> pids = new ArrayList<>();
        for (int pid = 2000; pid < 2200; pid++) { // over 64 processes: helpers start when there are cores
            holds(pid, "3", "socket:[" + (60_000 + pid) + "]");
            holds(pid, "9", "socket:[1001]");
            pids.add(pid);
        }

        FdIndex fds = index(pids, Set.of(1001L, 62_100L));

        assertThat(fds.scanned()).isEqualTo(200);
        assertThat(fds.holders(1001L)).hasSize(200).isSortedAccordingTo(FdIndex.Holder.ORDER);
        assertThat(fds.holders(62_100L)).containsExactly(new FdIndex.Holder(2100, 3));
    }

    @Test
    void holdsNoHoldersWhenNoSocketIsAskedFor() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        holds(900, "3", "socket:[2001]");

        FdIndex fds = index(List.of(900), Set.of());

        assertThat(fds.holders(2001L)).isEmpty();
        assertThat(fds.scanned())
                .as("no descriptor read when nothing is asked for")
                .isZero();
    }

    /** A process's stat (parent {@code ppid}) and cgroup (v2 path {@code cgroup}) in the fake tree. */
    private void process(int pid, int ppid, String cgroup) throws IOException {
        Path dirOf = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(
                dirOf.resolve("stat"),
                pid + " (worker) S " + ppid + " " + pid + " " + pid
                        + " 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n");
        Files.writeString(dirOf.resolve("cgroup"), "0::" + cgroup + "\n");
        Files.createDirectories(dirOf.resolve("fd"));
    }

    @Test
    void stopsOnceThePortsSocketsAreFoundButReadsTheHoldersChildrenAndUnit() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        process(1, 0, "/init.scope");
        process(100, 1, "/system.slice/web.service"); // the master: holds the listener
        holds(100, "6", "socket:[5000]");
        process(120, 1, "/system.slice/other.service"); // unrelated, many files
        holds(120, "3", "/var/log/other.log");
        process(150, 100, "/system.slice/web.service"); // a forked worker: inherited the listener
        holds(150, "6", "socket:[5000]");
        process(160, 150, "/system.slice/web.service"); // the worker's child
        holds(160, "6", "socket:[5000]");
        process(170, 1, "/system.slice/web.service"); // a reload's new process in the same unit, handed the socket
        holds(170, "9", "socket:[5000]");
        process(180, 1, "/user.slice/user-1000.slice/session-2.scope"); // unrelated, other unit
        holds(180, "4", "socket:[7777]");
        process(190, 1, "/system.slice/broker.service"); // handed the socket over a Unix socket: not found
        holds(190, "5", "socket:[5000]");

        FdIndex fds = FdIndex.start(new ProcRoot(proc), List.of(1, 100, 120, 150, 160, 170, 180, 190))
                .finishOnceFound(Set.of(5000L));

        assertThat(fds.holders(5000L))
                .extracting(FdIndex.Holder::pid)
                .as("the holder, its descendants and its unit; not a process of another unit")
                .containsExactly(100, 150, 160, 170);
        assertThat(fds.skipped()).as("120, 180 and 190").isEqualTo(3);
        assertThat(fds.scanned()).isEqualTo(5);

        FdIndex full = index(List.of(1, 100, 120, 150, 160, 170, 180, 190), Set.of(5000L));
        assertThat(full.holders(5000L)).extracting(FdIndex.Holder::pid).containsExactly(100, 150, 160, 170, 190);
        assertThat(full.skipped()).isZero();
    }

    @Test
    void readsEveryProcessWhenASocketHasNoHolderYet() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        process(100, 1, "/system.slice/a.service");
        holds(100, "6", "socket:[5000]");
        process(120, 1, "/system.slice/b.service");
        holds(120, "3", "socket:[6000]");
        FdIndex fds = FdIndex.start(new ProcRoot(proc), List.of(100, 120)).finishOnceFound(Set.of(5000L, 9999L));
        assertThat(fds.holders(5000L)).extracting(FdIndex.Holder::pid).containsExactly(100);
        assertThat(fds.skipped()).isZero();
        assertThat(fds.scanned()).isEqualTo(2);
    }

    @Test
    void theRootCgroupSaysNothingAndAnUnreadableParentIsReadInFull() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        process(100, 1, "/");
        holds(100, "6", "socket:[5000]");
        process(110, 1, "/"); // same root cgroup: no kin by that
        holds(110, "6", "socket:[5000]");
        Files.createDirectories(proc.resolve("130/fd")); // no stat, no cgroup: cannot tell, so read
        holds(130, "2", "socket:[5000]");
        FdIndex fds = FdIndex.start(new ProcRoot(proc), List.of(100, 110, 130)).finishOnceFound(Set.of(5000L));
        assertThat(fds.holders(5000L)).extracting(FdIndex.Holder::pid).containsExactly(100, 130);
        assertThat(fds.skipped()).isEqualTo(1);
    }

    @Test
    void helperThreadsStopTooAndLoseNoHolderOfTheFamily() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        List<Integer> pids = new ArrayList<>();
        process(1000, 1, "/system.slice/master.service");
        holds(1000, "5", "socket:[42]");
        pids.add(1000);
        for (int pid = 1001; pid < 1400; pid++) {
            // every tenth a worker of the master (holding the socket), the rest unrelated with many files
            boolean worker = pid % 10 == 0;
            process(
                    pid,
                    worker ? 1000 : 1,
                    worker ? "/system.slice/master.service" : "/system.slice/s" + pid + ".service");
            holds(pid, "5", worker ? "socket:[42]" : "/dev/null");
            for (int fd = 6; fd < 12; fd++) {
                holds(pid, Integer.toString(fd), "pipe:[" + pid + fd + "]");
            }
            pids.add(pid);
        }
        for (int round = 0; round < 20; round++) {
            FdIndex fds = FdIndex.start(new ProcRoot(proc), pids).finishOnceFound(Set.of(42L));
            assertThat(fds.holders(42L)).as("round %d", round).hasSize(1 + 39);
            assertThat(fds.scanned() + fds.skipped() + fds.vanished() + fds.unreadable())
                    .isEqualTo(pids.size());
        }
    }
}
