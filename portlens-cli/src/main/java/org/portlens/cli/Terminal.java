package org.portlens.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Optional;
import org.portlens.StandardStreams;

/**
 * Whether standard output is a terminal a person reads, for colours and the progress bar.
 *
 * <p>Up to JDK 21, {@link System#console()} is null unless both standard input and output are a
 * terminal. From JDK 22 it returns a console even when output goes to a pipe or a file, and
 * {@code Console.isTerminal()} (new in 22) tells the two apart; it is called by reflection so
 * that this class compiles for Java 17.
 */
final class Terminal {

    private Terminal() {}

    /**
     * True when standard input and output are an interactive terminal, as the JDK's console decides
     * ({@code free} asks on it): on Linux, what {@code /proc/self/fd/0} and {@code 1} point to, two
     * readlinks; elsewhere the JDK's console. The console costs more at start-up: on JDK 22+
     * {@code System.console()} looks its provider up with a ServiceLoader over every module
     * (jdk.jshell's and JLine's, about 25 classes), and {@code isTerminal()} is called by reflection.
     */
    static boolean isInteractive() {
        Optional<Boolean> out = StandardStreams.isTerminal(1);
        if (out.isPresent()) {
            return out.get() && StandardStreams.isTerminal(0).orElse(false);
        }
        return isInteractive(System.console());
    }

    static boolean isInteractive(Console console) {
        if (console == null) {
            return decide(false, Optional.empty());
        }
        Method isTerminal = isTerminalMethod();
        if (isTerminal == null) {
            return decide(true, Optional.empty());
        }
        try {
            return decide(true, Optional.of((Boolean) isTerminal.invoke(console)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The decision itself: no console is no terminal; a console is a terminal when the JDK says so
     * ({@code Console.isTerminal()}, JDK 22+), and on JDK 17-21, which has no such method, always.
     */
    static boolean decide(boolean consolePresent, Optional<Boolean> isTerminal) {
        return consolePresent && isTerminal.orElse(true);
    }

    /** {@code Console.isTerminal()} on JDK 22+, else null. */
    static Method isTerminalMethod() {
        try {
            return Console.class.getMethod("isTerminal");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
