package org.portlens.discovery.linux.forward;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.portlens.internal.Command;

/**
 * Runs a program to its end and returns its output: the one seam between the NAT rule reader and
 * the system. {@link #SYSTEM} runs it for real; tests give recorded answers. Implementations must be
 * safe from any thread; {@link #SYSTEM} is.
 */
@FunctionalInterface
public interface CommandRunner {

    /** How long nft or iptables-save may take. */
    Duration TIMEOUT = Duration.ofSeconds(10);

    /** The most output read: a ruleset of tens of thousands of rules (kube-proxy on a big cluster). */
    long MAX_OUTPUT = 64_000_000L;

    /** Runs the program for real, within {@link #TIMEOUT} and {@link #MAX_OUTPUT}. */
    CommandRunner SYSTEM = argv -> Command.run(argv, TIMEOUT, MAX_OUTPUT);

    /**
     * Runs {@code argv} to its end.
     *
     * @param argv the program and its arguments
     * @return its exit status and output
     * @throws IOException when it cannot start, takes too long or says too much
     */
    Command.Result run(List<String> argv) throws IOException;
}
