package org.portlens.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture text is {@code cat /proc/self/limits} from Debian 12 (kernel 6.18, root, in a
 * container whose soft limit is 20000), trimmed to the lines around the one that matters.
 */
class OpenFileLimitTest {

    static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max processes             unlimited            unlimited            processes
            Max open files            20000                20000                files
            Max locked memory         8388608              8388608              bytes
            """;

    @TempDir
    Path proc;

    @Test
    void readsSoftLimit() {
        assertThat(OpenFileLimit.parseSoftLimit(LIMITS.lines().toList())).isEqualTo(20000);
    }

    @Test
    void readsUnlimited() {
        assertThat(OpenFileLimit.parseSoftLimit(
                        List.of("Max open files            unlimited            unlimited            files")))
                .isEqualTo(OpenFileLimit.UNLIMITED);
    }

    @Test
    void softLimitIsTheFirstColumnNotTheHard() {
        assertThat(OpenFileLimit.parseSoftLimit(
                        List.of("Max open files            1024                 524288               files")))
                .isEqualTo(1024);
    }

    @Test
    void missingOrMalformedLineGivesMinusOne() {
        assertThat(OpenFileLimit.parseSoftLimit(List.of("Limit   Soft Limit"))).isEqualTo(-1);
        assertThat(OpenFileLimit.parseSoftLimit(List.of("Max open files   lots   lots  files")))
                .isEqualTo(-1);
        assertThat(OpenFileLimit.parseSoftLimit(List.of("Max open files"))).isEqualTo(-1);
    }

    @Test
    void readsAFakeProcTreeAndCountsOpenDescriptors() throws IOException {
        Files.createDirectories(proc.resolve("self/fd"));
        Files.writeString(proc.resolve("self/limits"), LIMITS);
        for (int fd = 0; fd < 5; fd++) {
            // as the kernel shows a socket descriptor: a link to "socket:[inode]", which resolves nowhere
            Files.createSymbolicLink(proc.resolve("self/fd/" + fd), Path.of("socket:[" + (1000 + fd) + "]"));
        }
        OpenFileLimit l = OpenFileLimit.read(proc);
        assertThat(l.soft()).isEqualTo(20000);
        assertThat(l.openNow()).isEqualTo(5);
        assertThat(l.source()).endsWith("self/limits");
    }

    @Test
    void fallsBackTo1024WithTheReasonWhenThereIsNoProc() {
        OpenFileLimit l = OpenFileLimit.read(proc.resolve("absent"));
        assertThat(l.soft()).isEqualTo(OpenFileLimit.FALLBACK).isEqualTo(1024);
        assertThat(l.source()).contains("cannot read").contains("assumed 1024");
    }

    @Test
    void budgetKeepsAMarginBelowTheLimit() {
        OpenFileLimit l = new OpenFileLimit(1024, 20, "test");
        assertThat(l.budget(4096)).isEqualTo(1024 - 20 - OpenFileLimit.MARGIN);
        assertThat(l.budget(100)).isEqualTo(100);
        assertThat(new OpenFileLimit(50, 40, "test").budget(4096)).isEqualTo(1);
        assertThat(new OpenFileLimit(OpenFileLimit.UNLIMITED, 0, "test").budget(4096))
                .isEqualTo(4096);
    }

    @Test
    void readsThisProcess() {
        OpenFileLimit l = OpenFileLimit.current();
        assertThat(l.soft()).isPositive();
        assertThat(l.budget(4096)).isBetween(1, 4096);
    }
}
