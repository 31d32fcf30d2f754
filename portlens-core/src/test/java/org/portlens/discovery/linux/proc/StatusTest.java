package org.portlens.discovery.linux.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Status text is /proc/PID/status as Linux 6.18 prints it (cat /proc/self/status, Debian 12, root), uids edited per test. */
class StatusTest {

    private static String status(String uidLine) {
        return "Name:\thead\nUmask:\t0022\nState:\tR (running)\nTgid:\t30097\nNgid:\t0\nPid:\t30097\n"
                + "PPid:\t30093\nTracerPid:\t0\n" + uidLine + "Gid:\t0\t0\t0\t0\nFDSize:\t256\nGroups:\t \n";
    }

    @Test
    void parsesRealAndEffectiveUid() {
        Status s = Status.parse(status("Uid:\t1000\t1000\t1000\t1000\n"));
        assertThat(s.uid()).isEqualTo(1000);
        assertThat(s.euid()).isEqualTo(1000);
    }

    @Test
    void keepsRealAndEffectiveApartForSetuidProcess() {
        Status s = Status.parse(status("Uid:\t1000\t0\t0\t0\n"));
        assertThat(s.uid()).isEqualTo(1000);
        assertThat(s.euid()).isZero();
    }

    @Test
    void parsesRoot() {
        assertThat(Status.parse(status("Uid:\t0\t0\t0\t0\n"))).isEqualTo(new Status(0, 0));
    }

    @Test
    void rejectsStatusWithoutUidLine() {
        assertThatThrownBy(() -> Status.parse(status("")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Uid line");
        assertThatThrownBy(() -> Status.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsTruncatedUidLineWithIllegalArgument() {
        assertThatThrownBy(() -> Status.parse(status("Uid:\t1000\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Uid");
    }

    @Test
    void rejectsNonNumericUid() {
        assertThatThrownBy(() -> Status.parse(status("Uid:\tx\ty\tz\tw\n")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
