package org.portlens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.portlens.discovery.SocketTable;
import org.portlens.policy.Policy;
import org.portlens.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serves a \"What Port N Is\" page for every port, live for this host: /port/N, /listeners (updated as listeners open and close), the JSON API under /api (described at /api/openapi.json) and Prometheus metrics at /metrics.",
            "",
            "Listens on 127.0.0.1:" + WebServer.DEFAULT_PORT
                    + " by default (a port IANA has assigned to nobody, below every system's ephemeral range). On loopback every request must name a loopback host. Off loopback everything but the registry pages needs a token: $PORTLENS_TOKEN, else --token-file, else one generated at the first start, saved in $XDG_CONFIG_HOME/portlens/serve-token and printed."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--bind",
            paramLabel = "ADDR:PORT",
            description =
                    "Where to listen (default: 127.0.0.1:" + WebServer.DEFAULT_PORT + "; port 0 picks a free one).")
    String bind;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description =
                    "Read the access token from FILE (16-512 of A-Z a-z 0-9 . _ ~ + / = -); $PORTLENS_TOKEN wins over it.")
    Path tokenFile;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description =
                    "Mark listeners this policy does not expect (default: the file of 'portlens audit', when it exists).")
    Path policy;

    @Option(
            names = "--db",
            paramLabel = "JDBC_URL",
            description =
                    "The history of portlens watch to show on the port pages, when not the data directory's (default: $PORTLENS_DB).")
    String db;

    @Option(names = "--no-probe", description = "Never connect to a listener to see what it speaks.")
    boolean noProbe;

    @Option(
            names = "--allow-remote-probe",
            description = "Let /api/probe reach addresses other than loopback (only what you may probe).")
    boolean allowRemoteProbe;

    @Mixin
    ProbeFlags probeFlags;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        long t0 = System.nanoTime();
        // Javalin and Jetty say only what goes wrong (slf4j-simple, on stderr), unless asked otherwise
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress address = bindAddress(bind == null ? "127.0.0.1:" + WebServer.DEFAULT_PORT : bind);
        boolean loopback = address.getAddress().isLoopbackAddress();
        // a port in use is said in one line, before Javalin would log it with a stack trace
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            throw new InputException("cannot listen on " + (bind == null ? "127.0.0.1:" + WebServer.DEFAULT_PORT : bind)
                    + ": " + why
                    + (why.contains("Permission denied")
                            ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)"
                            : " (portlens " + address.getPort() + " shows who holds it)"));
        }
        Policy p = null;
        Path policyFile = Env.policyFile(policy);
        if (policy != null || Files.isRegularFile(policyFile)) {
            p = PolicyReader.read(policyFile).policy();
        }
        // the last check: a token is made and saved only for a server that will start
        String token = token(System.getenv("PORTLENS_TOKEN"), tokenFile, loopback, configDir(), err);
        Path dataDir = Env.dataDir(common.dataDir);
        WebServer.Options options = new WebServer.Options(
                address,
                token,
                p,
                dataDir,
                Env.historyUrl(db),
                () -> Env.registry(common.dataDir, err).registry(),
                SocketTable.system(),
                noProbe ? null : probeFlags.loopbackProber(),
                allowRemoteProbe,
                Duration.ofSeconds(1),
                Version.number());
        WebServer server;
        try {
            server = WebServer.start(options);
        } catch (RuntimeException e) {
            Throwable c = e;
            while (c.getCause() != null && !(c instanceof java.net.BindException)) {
                c = c.getCause();
            }
            if (c instanceof java.net.BindException) {
                throw new InputException(
                        "cannot listen on " + (bind == null ? "127.0.0.1:" + WebServer.DEFAULT_PORT : bind) + ": "
                                + c.getMessage() + " (portlens " + address.getPort() + " shows who holds it)");
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                            out.flush();
                            // stopped on purpose (Ctrl-C, SIGTERM): the server did its job
                            Runtime.getRuntime().halt(ExitCodes.OK);
                        },
                        "portlens-serve-stop"));
        // from the JVM's start, as a user waits for it
        long ms = ProcessHandle.current()
                .info()
                .startInstant()
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis())
                .orElse((System.nanoTime() - t0) / 1_000_000);
        out.println("portlens serve: " + server.url() + " (ready in " + ms + " ms"
                + (token == null ? "" : "; the API and live pages need the token") + ")");
        if (p != null) {
            out.println("portlens serve: policy " + policyFile + ": unexpected listeners are marked");
        }
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** ADDR:PORT with an IP address or localhost; port 0-65535. No name is looked up. */
    static InetSocketAddress bindAddress(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (t.startsWith("[") && t.endsWith("]")) {
            throw new InputException("--bind '" + text + "' has no port: expected [ADDR]:PORT, e.g. [::1]:13640");
        }
        if (colon <= 0) {
            throw new InputException("--bind '" + text + "': expected ADDR:PORT, e.g. 127.0.0.1:13640 or [::1]:13640");
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new InputException("--bind '" + text + "': an IPv6 address goes in brackets, e.g. [::1]:13640");
        }
        if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) > 65535) {
            throw new InputException("--bind '" + text + "': port must be 0-65535, got '" + portText + "'");
        }
        InetAddress a;
        try {
            if (host.equals("localhost")) {
                a = InetAddress.getLoopbackAddress();
            } else if (host.matches("[0-9A-Fa-f:.%a-z]+") && (host.contains(":") || host.matches("[0-9.]+"))) {
                a = InetAddress.getByName(host); // a literal: nothing is looked up
            } else {
                throw new InputException(
                        "--bind '" + text + "': the address must be an IP address or localhost, got '" + host + "'");
            }
        } catch (java.net.UnknownHostException e) {
            throw new InputException("--bind '" + text + "': not an IP address: '" + host + "'");
        }
        return new InetSocketAddress(a, Integer.parseInt(portText));
    }

    /**
     * $PORTLENS_TOKEN, else --token-file, else (off loopback) the token saved in the config directory,
     * else a new one saved there (mode 600) and printed on stderr; null on loopback without either.
     */
    static String token(String env, Path tokenFile, boolean loopback, Path configDir, PrintWriter err) {
        if (env != null && !env.isBlank()) {
            return checked(env.strip(), "$PORTLENS_TOKEN");
        }
        if (tokenFile != null) {
            try {
                return checked(Files.readString(tokenFile).strip(), tokenFile.toString());
            } catch (IOException e) {
                throw new InputException("--token-file " + tokenFile + ": cannot read it ("
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
            }
        }
        if (loopback) {
            return null;
        }
        Path saved = configDir.resolve("serve-token");
        try {
            if (Files.isRegularFile(saved)) {
                return checked(Files.readString(saved).strip(), saved.toString());
            }
            String t = WebServer.newToken();
            Files.createDirectories(saved.getParent());
            Path tmp = Files.createTempFile(
                    saved.getParent(),
                    ".serve-token",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(Set.of(
                            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
            Files.writeString(tmp, t + "\n");
            Files.move(tmp, saved, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            err.println("portlens serve: a new access token, saved in " + saved + " (mode 600):");
            err.println("  " + t);
            err.println("  send it as 'Authorization: Bearer TOKEN', or open /login?token=TOKEN once in a browser");
            err.flush();
            return t;
        } catch (IOException e) {
            throw new InputException("cannot keep the access token in " + saved + ": " + e.getMessage()
                    + "; give one with $PORTLENS_TOKEN or --token-file");
        }
    }

    private static String checked(String token, String from) {
        if (!token.matches(WebServer.TOKEN_CHARS)) {
            throw new InputException(
                    "the token from " + from + " must be 16-512 characters of A-Z a-z 0-9 . _ ~ + / = -," + " got "
                            + token.length() + " characters" + (token.length() >= 16 ? " with others among them" : ""));
        }
        return token;
    }

    private static Path configDir() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "portlens");
        }
        return Path.of(System.getProperty("user.home"), ".config", "portlens");
    }
}
