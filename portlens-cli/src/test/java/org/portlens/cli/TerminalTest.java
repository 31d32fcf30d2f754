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
}
