package org.portlens.discovery.linux.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stat lines are /proc/PID/stat as Linux 6.18 prints it (recorded with {@code cat /proc/self/stat}
 * on Debian 12, kernel 6.18.44-fc-v782, as root), with pid, comm, ppid and tty_nr edited per test.
 */
class StatTest {

    /** A real line; fields after comm: state ppid pgrp session tty_nr tpgid flags ... starttime (22nd) ... */
    private static final String REAL = "30095 (cat) R 30093 30093 22419 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 84979"
            + " 3133440 382 18446744073709551615 94713064280064 94713064299945 140734326863360 0 0 0 0 0 0 0 0 0 17 0 0 0 0"
            + " 0 0 94713064315952 94713064317568 94713835573248 140734326868704 140734326868724 140734326868724"
            + " 140734326869995 0\n";

    private static String line(int pid, String comm, int ppid, int ttyNr) {
        return pid + " (" + comm + ") S " + ppid + " " + pid + " " + pid + " " + ttyNr
                + " -1 4194560 13924 1214985 0 205 41 97 2747 2483 20 0 1 0 8497900 35500032 2259"
                + " 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    }

    @Test
    void parsesRecordedLine() {
        Stat s = Stat.parse(REAL);
        assertThat(s.pid()).isEqualTo(30095);
        assertThat(s.comm()).isEqualTo("cat");
        assertThat(s.state()).isEqualTo('R');
        assertThat(s.ppid()).isEqualTo(30093);
        assertThat(s.ttyNr()).isZero();
        assertThat(s.startTicks()).isEqualTo(84979L);
        assertThat(s.ttyName()).isEmpty();
    }

    @Test
    void parsesCommWithSpacesAndParentheses() {
        Stat s = Stat.parse(line(4242, "my (weird) proc", 1, 0));
        assertThat(s.comm()).isEqualTo("my (weird) proc");
        assertThat(s.pid()).isEqualTo(4242);
        assertThat(s.ppid()).isEqualTo(1);
        assertThat(s.startTicks()).isEqualTo(8497900L);
    }

    @Test
    void parsesCommThatImitatesTheFieldsAfterIt() {
        // a process may name itself ") R 9 9 9 9" to shift a naive parser's fields
        Stat s = Stat.parse(line(4243, "x) R 9 9 9 9", 77, 0));
        assertThat(s.comm()).isEqualTo("x) R 9 9 9 9");
        assertThat(s.state()).isEqualTo('S');
        assertThat(s.ppid()).isEqualTo(77);
    }

    @Test
    void parsesEmptyComm() {
        assertThat(Stat.parse(line(5, "", 2, 0)).comm()).isEmpty();
    }

    @Test
    void decodesPseudoTerminal() {
        // tty_nr 34819 = major 136, minor 3
        assertThat(Stat.parse(line(100, "bash", 99, 34819)).ttyName()).isEqualTo("pts/3");
        assertThat(new Stat(1, "bash", 'S', 0, 136 << 8, 0).ttyName()).isEqualTo("pts/0");
    }

    @Test
    void decodesPseudoTerminalAbove255WithMinorHighBits() {
        // new_encode_dev(136, 300): minor's low byte in bits 0-7, its high bits from bit 20
        int ttyNr = (300 & 0xff) | (136 << 8) | ((300 & ~0xff) << 12);
        assertThat(new Stat(1, "bash", 'S', 0, ttyNr, 0).ttyName()).isEqualTo("pts/300");
    }

    @Test
    void decodesVirtualConsoleAndSerialLine() {
        assertThat(new Stat(1, "agetty", 'S', 1, (4 << 8) | 1, 0).ttyName()).isEqualTo("tty1");
        assertThat(new Stat(1, "agetty", 'S', 1, (4 << 8) | 64, 0).ttyName()).isEqualTo("ttyS0");
        assertThat(new Stat(1, "agetty", 'S', 1, (4 << 8) | 65, 0).ttyName()).isEqualTo("ttyS1");
    }

    @Test
    void namesOtherTerminalsByMajorAndMinor() {
        assertThat(new Stat(1, "x", 'S', 1, (5 << 8) | 1, 0).ttyName()).isEqualTo("tty(5:1)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "garbage",
                "(cat) R 1 1 1 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 84979",
                "30095 (cat R 1 1 1 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 84979",
                "30095 (cat) R 30093 30093 22419 0",
                "abc (cat) R 30093 30093 22419 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 84979",
                "30095 (cat) R notapid 30093 22419 0 -1 4194304 97 0 0 0 0 0 0 0 20 0 1 0 84979",
            })
    void rejectsMalformedLine(String text) {
        assertThatThrownBy(() -> Stat.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectionSaysItIsNotAStatLine() {
        assertThatThrownBy(() -> Stat.parse("30095 (cat) R 30093"))
                .hasMessageContaining("not a /proc stat line")
                .hasMessageContaining("fields after comm");
    }
}
