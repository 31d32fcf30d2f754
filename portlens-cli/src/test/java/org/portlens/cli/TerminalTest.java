package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The terminal decision on every JDK, including JDK 22-24, whose {@code System.console()} is not
 * null when output goes to a pipe (TerminalIT runs the JDKs this machine has).
 */
class TerminalTest {

    @Test
    void noConsoleIsNoTerminal() {
        assertThat(Terminal.decide(false, Optional.empty())).isFalse();
    }

    @Test
    void onJdk17To21AConsoleMeansATerminal() {
        assertThat(Terminal.decide(true, Optional.empty())).isTrue();
    }

    @Test
    void onJdk22AndLaterAConsoleIsATerminalOnlyWhenItSaysSo() {
        assertThat(Terminal.decide(true, Optional.of(false)))
                .as("output piped, JDK 22-24")
                .isFalse();
        assertThat(Terminal.decide(true, Optional.of(true))).isTrue();
    }

    @Test
    void theMethodThatTellsIsLookedUpOnlyWhereItExists() {
        assertThat(Terminal.isTerminalMethod() != null)
                .isEqualTo(Runtime.version().feature() >= 22);
    }

    @Test
    void onLinuxTheDescriptorLinkDecidesWithoutTheConsole() {
        assertThat(Terminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/console")).isTrue();
        assertThat(Terminal.isTerminalDevice("pipe:[123456]")).isFalse();
        assertThat(Terminal.isTerminalDevice("socket:[42]")).isFalse();
        assertThat(Terminal.isTerminalDevice("/dev/null")).isFalse();
        assertThat(Terminal.isTerminalDevice("/tmp/out.txt")).isFalse();
    }

    @Test
    void noDescriptorLinkLeavesItToTheConsole() {
        assertThat(Terminal.fdIsTty(java.nio.file.Path.of("/nonexistent/fd/1"))).isEmpty();
    }
}
