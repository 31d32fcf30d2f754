package org.portlens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import org.portlens.discovery.UnsupportedPlatformException;
import org.portlens.scan.PortSet;
import org.portlens.scan.ScanOptions;
import org.portlens.scan.TcpConnectScanner;
import org.portlens.store.StoreException;
import picocli.CommandLine;

/** Entry point of the portlens command. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // Each training ends as every run does, through System.exit: on JDK 21+ that logs through a
        // System.Logger (Runtime.exit logging), whose 40 classes then are in the archive too
        if (args.length == 1 && args[0].equals("--train-class-archive")) {
            train();
            System.exit(0);
        }
        if (args.length == 1 && args[0].equals("--train-aot-cache")) {
            trainQuickPaths();
            System.exit(0);
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Used once by the launcher on JDK 24+, under -XX:AOTCacheOutput (or -XX:AOTMode=record): runs
     * {@code portlens PORT} and {@code portlens ls} in text, as most runs are, with output discarded.
     * Only those: the JVM loads and links every class of an AOT cache at start-up, so the classes of
     * picocli, Jackson, the scanner and the prober's runs, which {@link #train()} puts in a CDS
     * archive (mapped only when asked for), would cost every {@code portlens PORT} (bench/launcher.sh).
     * The port is one this run listens on itself, on loopback, so the listener's owner is read and the
     * listener probed as for a port in use; then a port nothing listens on.
     */
    private static void trainQuickPaths() {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answer = trainingServer(server);
            answer.start();
            run(new String[] {Integer.toString(server.getLocalPort())}, sink, sink);
        } catch (IOException e) {
            // no loopback: the cache holds fewer classes
        }
        run(new String[] {"3640"}, sink, sink);
        run(new String[] {"ls"}, sink, sink);
    }

    /** A daemon thread that answers every connection to {@code server} like an HTTP server, until it closes. */
    private static Thread trainingServer(ServerSocket server) {
        Thread answer = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket c = server.accept()) {
                            c.setSoTimeout(500);
                            c.getInputStream().read(new byte[1024]);
                            c.getOutputStream()
                                    .write("HTTP/1.0 200 OK\r\nServer: portlens-training\r\n\r\n"
                                            .getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            // closed, or a probe that hung up: fine
                        }
                    }
                },
                "portlens-training-server");
        answer.setDaemon(true);
        return answer;
    }

    /**
     * Used once by the launcher, under -XX:ArchiveClassesAtExit: runs the common paths (the quick
     * path in text and JSON, and picocli) with output discarded, so the class-data-sharing archive
     * holds the classes a real run needs.
     */
    private static void train() {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        run(new String[] {"3640", "--no-probe"}, sink, sink);
        run(new String[] {"3640", "--json", "--no-probe"}, sink, sink);
        run(new String[] {"lookup", "80"}, sink, sink);
        run(new String[] {"ls", "--json"}, sink, sink);
        // probe and scan only a server this run starts itself, on loopback: it answers like HTTP
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answer = trainingServer(server);
            answer.start();
            String target = "127.0.0.1:" + server.getLocalPort();
            run(new String[] {"probe", target}, sink, sink);
            run(new String[] {"probe", target, "--json"}, sink, sink);
            run(
                    new String[] {"scan", "127.0.0.1", "-p", Integer.toString(server.getLocalPort()), "--json"},
                    sink,
                    sink);
            run(new String[] {"scan", "127.0.0.1", "-p", Integer.toString(server.getLocalPort())}, sink, sink);
            // the native engine for any size (on JDK 22+ `scan` binds it for large scans only): the same one port
            if (TcpConnectScanner.warmUp(ScanOptions.EnginePreference.NATIVE, 1)) {
                new TcpConnectScanner(ScanOptions.defaults().withEngine(ScanOptions.EnginePreference.NATIVE))
                        .scan(InetAddress.getLoopbackAddress(), PortSet.of(server.getLocalPort()));
            }
        } catch (IOException e) {
            // no loopback: the archive simply holds fewer classes
        }
    }

    /**
     * Asks the JVM to use {@code poll(2)} selectors instead of epoll, which makes a loopback sweep about
     * 15-20% faster: epoll pays an {@code epoll_ctl} add and delete for every probe socket, while a
     * {@code poll} with a zero timeout over sockets that the kernel has already settled costs little per
     * socket. The choice is JVM-wide ({@code java.nio.channels.spi.SelectorProvider}) and only takes
     * effect if made before anything in the process opens a channel or selector: the program makes it,
     * as {@code portlens scan} does first thing; the scan library never does.
     *
     * @return true if poll selectors are now in effect; false if the system property was already set,
     *         the JDK has no poll selector (Windows), or NIO was already in use
     */
    static boolean preferPollSelector() {
        String property = "java.nio.channels.spi.SelectorProvider";
        String poll = "sun.nio.ch.PollSelectorProvider";
        if (System.getProperty(property) == null) {
            try {
                Class.forName(poll, false, null);
                System.setProperty(property, poll);
            } catch (ClassNotFoundException | LinkageError | SecurityException e) {
                return false;
            }
        }
        return SelectorProvider.provider().getClass().getName().equals(poll);
    }

    /** Runs one command line, printing through the given writers; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        int quick = QuickStart.tryRun(args, out, err);
        if (quick >= 0) {
            return quick;
        }
        CommandLine cmd = commandLine();
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new PortlensCommand());
        cmd.addSubcommand(new HelpCommand());
        cmd.setExecutionExceptionHandler(Main::onException);
        cmd.setParameterExceptionHandler(Usage::onBadParameters);
        cmd.setExecutionStrategy(Usage::execute);
        Usage.abbreviateSynopses(cmd);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    private static int onException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        return report(e, cmd.getErr(), debug(parsed.originalArgs().toArray(new String[0])));
    }

    /** Whether the command line asks for stack traces: {@code --debug}, or PORTLENS_DEBUG set. */
    static boolean debug(String[] args) {
        for (String a : args) {
            if (a.equals("--debug")) {
                return true;
            }
        }
        return System.getenv("PORTLENS_DEBUG") != null;
    }

    /**
     * One line on stderr for a failure, and its exit code: 1 for an answer that says something is wrong
     * ({@link FindingsException}: a probe that could not connect; the report is already out), 2 for bad input ({@link InputException},
     * raised only where the CLI checks what the user typed), 4 for a system failure with its own
     * words (no socket, no IPv6, an unsupported OS) and for a bug, which also prints the stack
     * trace under {@code --debug}.
     */
    static int report(Exception e, PrintWriter err, boolean debug) {
        if (e instanceof FindingsException) {
            err.println("portlens: " + oneLine(e.getMessage()));
            err.flush();
            return ExitCodes.FINDINGS;
        }
        if (e instanceof InputException) {
            err.println("portlens: " + oneLine(e.getMessage()));
            err.flush();
            return ExitCodes.USAGE;
        }
        if (e instanceof StoreException se) {
            // the history database: a bad --db URL is bad input; locked, read-only, corrupt, newer or unreachable is 4
            err.println("portlens: " + oneLine(se.getMessage()));
            if (debug) {
                se.printStackTrace(err);
            }
            err.flush();
            return se.reason() == StoreException.Reason.BAD_URL ? ExitCodes.USAGE : ExitCodes.INTERNAL;
        }
        if (e instanceof UnsupportedPlatformException || e instanceof IOException) {
            err.println("portlens: " + oneLine(e.getMessage()));
        } else {
            err.println("portlens: internal error: " + oneLine(e.toString())
                    + " (please report it with the command you ran; --debug shows where)");
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INTERNAL;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        return Style.safe(s.strip().replace("\r\n", " ").replace('\n', ' '));
    }
}
