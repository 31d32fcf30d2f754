package org.portlens.discovery.macos;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.command.ProcessRow;
import org.portlens.internal.Command;
import org.portlens.internal.CommandRunner;

/**
 * Runs macOS's tools for the socket and process tables: the reading half, the parsing being in
 * {@link LsofFields}, {@link BsdNetstat}, {@link PsOutput} and {@link Launchctl}. A tool that is
 * missing, refuses or fails becomes a note, never an exception. Immutable; safe from any thread when
 * its runner is.
 */
final class MacTools {

    /**
     * Each tool may take 10 s and print 32 MB (lsof on a Mac with tens of thousands of connections), in
     * {@code en_US.UTF-8}, present on every Mac: English day names for {@code ps -o lstart}, and names
     * beyond ASCII as they are (in the C locale lsof prints {@code \xc3\xbc} and ps {@code \M-C\M-<}).
     */
    static final String LOCALE = "en_US.UTF-8";

    static final CommandRunner SYSTEM = CommandRunner.within(LOCALE, Duration.ofSeconds(10), 32_000_000L);

    static final List<String> PS_FIELDS = List.of("ps", "-A", "-ww", "-o", "pid=,ppid=,uid=,user=,tty=,lstart=,comm=");
    static final List<String> PS_ARGS = List.of("ps", "-A", "-ww", "-o", "pid=,args=");
    static final List<String> LAUNCHCTL = List.of("launchctl", "list");
    /** {@code -l}: IPv6 addresses in full (without it netstat cuts them to 16 characters). */
    static final List<String> NETSTAT = List.of("netstat", "-anl");

    static final List<String> SYSCTL =
            List.of("sysctl", "-n", "net.inet.ip.portrange.first", "net.inet.ip.portrange.last");

    private final CommandRunner runner;
    private final ZoneId zone;

    MacTools(CommandRunner runner, ZoneId zone) {
        this.runner = runner;
        this.zone = zone;
    }

    /**
     * The processes, with the launchd jobs that run them.
     *
     * @param processes by pid
     * @param labels    launchd job labels by pid
     * @param malformed lines of ps's output skipped
     */
    record Processes(Map<Integer, ProcessRow> processes, Map<Integer, String> labels, int malformed) {}

    Processes processes(List<String> notes) {
        String fields = run(PS_FIELDS, notes, "processes not read");
        String args = fields == null ? null : run(PS_ARGS, notes, "command lines not read");
        PsOutput.Result ps = fields == null
                ? new PsOutput.Result(Map.of(), 0)
                : PsOutput.parse(fields, args == null ? "" : args, zone);
        String jobs = run(LAUNCHCTL, notes, "launchd jobs not named");
        return new Processes(ps.processes(), jobs == null ? Map.of() : Launchctl.labels(jobs), ps.malformed());
    }

    /**
     * Runs a tool and returns what it printed, or null with a note when it could not run or failed
     * with nothing printed. lsof's exit status 1 with output means "some of what was asked is not
     * there", not a failure.
     */
    @Nullable
    String run(List<String> argv, List<String> notes, String consequence) {
        try {
            Command.Result r = runner.run(argv);
            if (r.exit() != 0 && r.stdout().isBlank()) {
                if (!r.stderr().isBlank() || r.exit() != 1) {
                    notes.add(argv.get(0) + " failed (" + r.firstLine() + "): " + consequence);
                }
                return r.exit() == 1 && r.stderr().isBlank() ? "" : null;
            }
            return r.stdout();
        } catch (IOException e) {
            notes.add(argv.get(0) + ": " + Command.why(e) + ": " + consequence);
            return null;
        }
    }
}
