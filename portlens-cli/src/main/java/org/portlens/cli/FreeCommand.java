package org.portlens.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.portlens.discovery.Query;
import org.portlens.free.Outcome;
import org.portlens.free.Plan;
import org.portlens.free.PortFreer;
import org.portlens.free.Signal;
import org.portlens.model.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portlens free PORT}: shows what holds the port, asks, signals exactly that, and says what happened. */
@Command(
        name = "free",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Frees a port: shows what holds it (process, user, command, source, children) and what freeing it means, asks on a terminal (or takes --yes), sends the signal to the process shown (re-checked by pid and start time just before, so a reused pid is never signalled), waits, and says whether the port is free or what holds it now.",
            "",
            "A process run by a systemd service or a container is not signalled: portlens prints the command that stops the unit or container instead (--kill-anyway signals it all the same). It never signals pid 1, the kernel or itself."
        })
final class FreeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PORT[/PROTO]", description = "The port to free (tcp or udp).")
    String port;

    @Option(names = "--tcp", description = "TCP only.")
    boolean tcp;

    @Option(names = "--udp", description = "UDP only.")
    boolean udp;

    @Option(
            names = "--signal",
            paramLabel = "SIGNAL",
            defaultValue = "TERM",
            description = "TERM (default: ask it to exit) or KILL (end it).")
    String signal;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask; needed without a terminal.")
    boolean yes;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "How long the process gets to let go of the port (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--kill-anyway", description = "Signal a process of a systemd service or container all the same.")
    boolean killAnyway;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        return free(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    int free(PrintWriter out, PrintWriter err) throws InterruptedException {
        if (common.json) {
            throw new InputException("free prints text only: --json is not supported by free");
        }
        Signal sig = Signal.parse(signal)
                .orElseThrow(() -> new InputException(
                        "--signal must be TERM or KILL (also SIGTERM, 15, SIGKILL, 9), got " + signal));
        if (waitSeconds < 0 || waitSeconds > 3600) {
            throw new InputException("--wait must be 0-3600 seconds, got " + waitSeconds);
        }
        if (!PortSpec.startsWithDigit(port)) {
            throw new InputException("free takes a port number (such as 8080 or 8080/tcp), got '" + port + "'");
        }
        PortSpec ps = PortSpec.parseNumeric(port);
        if (!ps.ports().single()) {
            throw new InputException("free takes one port, not a range: got " + port);
        }
        Transport transport = Flags.transport(ps.transport(), tcp, udp);
        if (transport != null && !transport.discoverable()) {
            throw new InputException("free works on tcp and udp ports, not " + transport.label());
        }
        Query query = Query.ports(ps.ports(), Optional.ofNullable(transport));
        String title = ps.ports().low() + (transport == null ? "" : "/" + transport.label());
        String again = "portlens free " + port + (tcp ? " --tcp" : "") + (udp ? " --udp" : "") + (yes ? " --yes" : "");

        PortFreer freer = PortFreer.system();
        Plan plan = freer.look(query);
        FreeText view = new FreeText(common.style(), out);
        if (plan instanceof Plan.NothingListening) {
            out.println("Nothing listens on port " + title + ": nothing to free.");
            out.flush();
            return ExitCodes.OK;
        }
        if (plan instanceof Plan.Unseen u) {
            view.holders(title, u.listeners());
            out.flush();
            err.println("portlens: "
                    + (u.hidden() && !u.asRoot()
                            ? "owner hidden: run as root (" + Style.safe(u.reason()) + ")"
                            : "owner not seen: " + Style.safe(u.reason()))
                    + "; nothing sent");
            err.flush();
            return ExitCodes.PARTIAL;
        }
        if (plan instanceof Plan.Refused r) {
            view.holders(title, r.listeners());
            out.flush();
            throw new InputException(refusal(r, title));
        }
        Plan.Ready ready = (Plan.Ready) plan;
        view.plan(title, ready, sig);
        if (ready.managed() && !killAnyway) {
            view.stopInstead(ready, again);
            out.flush();
            err.println("portlens: port " + title + " not freed: a systemd service or container runs its holder;"
                    + " stop that instead (the command is above)");
            err.flush();
            return ExitCodes.FINDINGS;
        }
        String pids = ready.targets().stream()
                .map(t -> Integer.toString(t.process().pid()))
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
        if (!yes) {
            if (!Terminal.isInteractive()) {
                out.flush();
                throw new InputException("not freeing port " + title + " without confirmation: no terminal to ask on;"
                        + " add --yes to send " + sig + " to pid " + pids);
            }
            out.print("\nSend " + sig + " to pid " + pids + "? [y/N] ");
            out.flush();
            if (!confirmed()) {
                out.println("Nothing sent.");
                out.flush();
                err.println("portlens: port " + title + " not freed: not confirmed");
                err.flush();
                return ExitCodes.FINDINGS;
            }
        }
        Outcome outcome = freer.free(ready, sig, Duration.ofSeconds(waitSeconds));
        Optional<String> failure = view.outcome(title, ready, outcome, waitSeconds, again);
        out.flush();
        if (failure.isEmpty()) {
            return ExitCodes.OK;
        }
        err.println("portlens: " + Main.oneLine(failure.get()));
        err.flush();
        return ExitCodes.FINDINGS;
    }

    private static String refusal(Plan.Refused r, String title) {
        switch (r.why()) {
            case INIT:
                return "refusing to signal pid 1 (init), which holds port " + title
                        + ": stop the service behind the port instead";
            case SELF:
                return "refusing to signal pid " + r.process().get(0).pid() + ": it is portlens itself";
            case KERNEL:
            default:
                return "refusing: no process holds port " + title
                        + " (a kernel socket, or one being torn down): there is nothing to signal";
        }
    }

    private static boolean confirmed() {
        Console console = System.console();
        String answer;
        if (console != null) {
            answer = console.readLine();
        } else {
            try {
                answer = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())).readLine();
            } catch (IOException e) {
                return false;
            }
        }
        if (answer == null) {
            return false;
        }
        String a = answer.strip().toLowerCase(Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }
}
