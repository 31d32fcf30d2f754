package org.portlens.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs a program to its end and returns its output: the one seam between a reader that asks the
 * system's tools ({@code nft}, {@code lsof}, {@code netstat}, PowerShell) and the system. {@link
 * #within} runs it for real; tests give recorded answers. Implementations must be safe from any
 * thread; {@link #within}'s are.
 */
@FunctionalInterface
public interface CommandRunner {

    /**
     * Runs {@code argv} to its end.
     *
     * @param argv the program and its arguments
     * @return its exit status and output
     * @throws IOException when it cannot start, takes too long or says too much
     */
    Command.Result run(List<String> argv) throws IOException;

    /**
     * The runner of real programs, each killed past {@code timeout} or {@code maxOutput} bytes.
     *
     * @param timeout   how long one program may take
     * @param maxOutput the most standard output read
     * @return a runner of {@link Command#run}
     */
    static CommandRunner within(Duration timeout, long maxOutput) {
        return argv -> Command.run(argv, timeout, maxOutput);
    }

    /**
     * The runner of real programs in a locale of the caller's choice ({@link Command#run(List, String,
     * Duration, long)}).
     *
     * @param locale    the value of {@code LC_ALL}
     * @param timeout   how long one program may take
     * @param maxOutput the most standard output read
     * @return a runner of {@link Command#run(List, String, Duration, long)}
     */
    static CommandRunner within(String locale, Duration timeout, long maxOutput) {
        return argv -> Command.run(argv, locale, timeout, maxOutput);
    }
}
