package org.portlens.cli;

import java.io.PrintWriter;

/**
 * The start-up fast path for the main jobs (and the plain forms of probe and scan), {@code portlens PORT [--json] [--no-color] [--tcp] [--udp]
 * [--no-listeners] [--no-probe]} and {@code portlens ls [--json] [--no-color] [--tcp] [--udp]}: when the arguments are exactly that and the port parses, the command runs without
 * building picocli's model. picocli 4.7's jar is Java 5 bytecode that class-data sharing cannot
 * archive, and building the model costs 250-400 ms of start-up (bench/README.md); this path
 * costs nothing. Anything else, including every error, goes to picocli, so help, messages and exit
 * codes have one source.
 */
final class QuickStart {

    private QuickStart() {
    }

    /** {@code portlens ls [--json] [--no-color] [--tcp] [--udp]}; anything more goes to picocli. */
    private static int tryList(String[] args, PrintWriter out, PrintWriter err) {
        LsCommand cmd = new LsCommand();
        cmd.common = new Common();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--json": cmd.common.json = true; break;
                case "--no-color": cmd.common.noColor = true; break;
                case "--tcp": cmd.tcp = true; break;
                case "--udp": cmd.udp = true; break;
                default: return -1;
            }
        }
        try {
            return cmd.list(out, err);
        } catch (RuntimeException e) {
            return Main.report(e, err);
        }
    }

    /** {@code portlens probe HOST:PORT [--json] [--no-color] [--udp]}; anything more goes to picocli. */
    private static int tryProbe(String[] args, PrintWriter out, PrintWriter err) {
        ProbeCommand cmd = new ProbeCommand();
        cmd.common = new Common();
        cmd.probeFlags = new ProbeFlags();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--json": cmd.common.json = true; break;
                case "--no-color": cmd.common.noColor = true; break;
                case "--udp": cmd.udp = true; break;
                default:
                    if (cmd.target != null || args[i].startsWith("-")) {
                        return -1;
                    }
                    cmd.target = args[i];
            }
        }
        if (cmd.target == null) {
            return -1;
        }
        try {
            Targets.hostPort(cmd.target);
        } catch (RuntimeException e) {
            return -1; // picocli reports it
        }
        try {
            return cmd.run(out);
        } catch (RuntimeException e) {
            return Main.report(e, err);
        }
    }

    /** {@code portlens scan HOST [-p SPEC] [--json] [--no-color]}; anything more goes to picocli. */
    private static int tryScan(String[] args, PrintWriter out, PrintWriter err) {
        ScanCommand cmd = new ScanCommand();
        cmd.common = new Common();
        cmd.probeFlags = new ProbeFlags();
        cmd.ports = ScanCommand.DEFAULT_PORTS;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                cmd.common.json = true;
            } else if (a.equals("--no-color")) {
                cmd.common.noColor = true;
            } else if (a.equals("-p") && i + 1 < args.length) {
                cmd.ports = args[++i];
            } else if (a.startsWith("-p") && a.length() > 2) {
                cmd.ports = a.substring(2);
            } else if (!a.startsWith("-") && cmd.host == null) {
                cmd.host = a;
            } else {
                return -1;
            }
        }
        if (cmd.host == null) {
            return -1;
        }
        try {
            org.portlens.scan.PortSet.parse(cmd.ports);
            Targets.resolve(cmd.host);
        } catch (RuntimeException e) {
            return -1; // picocli reports it
        }
        try {
            return cmd.run(out, err);
        } catch (RuntimeException | java.io.IOException e) {
            return Main.report(e, err);
        }
    }

    /** Runs the command and returns its exit code, or returns -1 to hand the arguments to picocli. */
    static int tryRun(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0 || System.getenv("PORTLENS_NO_QUICKSTART") != null) {
            return -1;
        }
        if (args[0].equals("ls")) {
            return tryList(args, out, err);
        }
        if (args[0].equals("probe")) {
            return tryProbe(args, out, err);
        }
        if (args[0].equals("scan")) {
            return tryScan(args, out, err);
        }
        PortlensCommand cmd = new PortlensCommand();
        cmd.common = new Common();
        cmd.probeFlags = new ProbeFlags();
        for (String a : args) {
            switch (a) {
                case "--json": cmd.common.json = true; break;
                case "--no-color": cmd.common.noColor = true; break;
                case "--tcp": cmd.tcp = true; break;
                case "--udp": cmd.udp = true; break;
                case "--no-listeners": cmd.noListeners = true; break;
                case "--no-probe": cmd.noProbe = true; break;
                default:
                    if (cmd.port != null || a.isEmpty() || !Character.isDigit(a.charAt(0))) {
                        return -1; // a name, a subcommand, an option, or a second port: picocli's job
                    }
                    cmd.port = a;
            }
        }
        if (cmd.port == null) {
            return -1;
        }
        try {
            PortSpec ps = PortSpec.parseNumeric(cmd.port);
            Flags.transport(ps.transport(), cmd.tcp, cmd.udp);
        } catch (RuntimeException e) {
            return -1; // let picocli report it, the one way every error is reported
        }
        try {
            return cmd.explain(out, err);
        } catch (RuntimeException e) {
            return Main.report(e, err);
        }
    }
}
