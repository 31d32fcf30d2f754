package org.portlens.cli;

/** The exit codes of every portlens command (README, "Exit codes"). */
final class ExitCodes {
    /** The command did what was asked. */
    static final int OK = 0;
    /** The answer is "something is wrong": a probe that could not connect; audit findings. */
    static final int FINDINGS = 1;
    /** Usage or input error: a bad port, flag, file or URL. Nothing was changed. */
    static final int USAGE = 2;
    /** Partial answer: some owners were hidden (permissions) or vanished; stated on stderr. */
    static final int PARTIAL = 3;
    /** Internal error: a bug or an unexpected system failure. */
    static final int INTERNAL = 4;

    private ExitCodes() {}
}
