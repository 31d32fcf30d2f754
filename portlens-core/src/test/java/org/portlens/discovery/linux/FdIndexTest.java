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
}
