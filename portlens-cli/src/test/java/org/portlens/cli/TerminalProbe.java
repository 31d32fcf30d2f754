package org.portlens.cli;

/** Prints what {@link Terminal} decides in this JVM, for {@link TerminalIT}'s child processes. */
public final class TerminalProbe {

    private TerminalProbe() {}

    public static void main(String[] args) {
        System.out.println("interactive=" + Terminal.isInteractive());
    }
}
