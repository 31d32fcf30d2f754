package org.portlens.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A fresh PostgreSQL cluster for a test: {@code initdb} into a directory of the test's (a
 * {@code @TempDir}), trust authentication, listening on 127.0.0.1 on a free port, no Unix socket,
 * {@code fsync} off. As root it runs as user {@code postgres} through {@code setpriv} (the server
 * refuses root); otherwise as the test's own user. Binaries from the newest
 * {@code /usr/lib/postgresql/N/bin} (Debian package {@code postgresql}, installed as root or the test
 * skips: {@link Needs}). {@link #close()} stops the server; a shutdown hook does if the JVM dies first.
 * Public for the other modules' tests, which get it through portlens-core's test jar.
 */
public final class PostgresCluster implements AutoCloseable {

    /** How long the server may take to accept connections. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private static final String READY = "database system is ready to accept connections";

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;
    private final Path bin;
    private final Thread reaper;

    private PostgresCluster(Process process, int port, Path dir, Path log, Path bin) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
        this.bin = bin;
        this.reaper = new Thread(() -> stop(process), "portlens-postgres-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Makes a cluster in {@code dir} (which it opens to other users, so that user postgres reaches it)
     * and starts its server; returns when it accepts connections.
     *
     * @param dir an empty directory of the test's
     * @return the running cluster
     * @throws Exception when a step fails: the message carries the command and the end of its log
     */
    public static PostgresCluster start(Path dir) throws Exception {
        Path bin = bin();
        List<String> as = new ArrayList<>();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(dir.resolve("data"));
        if (Needs.isRoot()) {
            Path setpriv = Needs.binary("setpriv", "util-linux", "/usr/bin/setpriv");
            reachableByOthers(dir);
            chown(data, "postgres", "postgres");
            as.addAll(List.of(setpriv.toString(), "--reuid=postgres", "--regid=postgres", "--clear-groups"));
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        run(
                dir,
                "initdb",
                concat(
                        as,
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        "postgres",
                        "--auth=trust",
                        "--no-sync",
                        "--no-instructions",
                        "-E",
                        "UTF8",
                        "--locale=C"));
        int port = freePort();
        Path log = dir.resolve("postgres.log");
        List<String> cmd = concat(
                as,
                bin.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
                "-c",
                "fsync=off",
                "-c",
                "logging_collector=off",
                "-c",
                "shared_buffers=16MB");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        PostgresCluster c = new PostgresCluster(p, port, dir, log, bin);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!p.isAlive()) {
                c.close();
                throw new AssertionError(
                        "postgres exited with code " + p.exitValue() + " before accepting on 127.0.0.1:" + port
                                + "\ncommand: " + String.join(" ", cmd) + "\n" + c.logTail());
            }
            if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(READY) && accepts(port)) {
                return c;
            }
            if (System.nanoTime() > deadline) {
                c.close();
                throw new AssertionError("postgres did not accept on 127.0.0.1:" + port + " within "
                        + START_TIMEOUT.toSeconds() + " s\ncommand: " + String.join(" ", cmd) + "\n" + c.logTail());
            }
            Thread.sleep(50);
        }
    }

    /**
     * The newest {@code /usr/lib/postgresql/N/bin} with initdb and postgres; installs the package as root,
     * else skips the test when there is none.
     *
     * @return the directory of the server's binaries
     */
    public static Path bin() {
        Needs.debianPackage("postgresql", () -> findBin() != null);
        Path b = findBin();
        if (b == null) {
            throw new AssertionError(
                    "postgresql is installed but no /usr/lib/postgresql/N/bin has initdb and postgres");
        }
        return b;
    }

    /** The server process (run through setpriv as root). */
    public Process process() {
        return process;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The directory given to {@link #start}. */
    public Path dir() {
        return dir;
    }

    /** The server's log. */
    public Path log() {
        return log;
    }

    /** The end of the server's log, for failure messages. */
    public String logTail() {
        try {
            String s = Files.readString(log, StandardCharsets.ISO_8859_1);
            return "--- " + log + " (last 3000 chars) ---\n" + (s.length() > 3000 ? s.substring(s.length() - 3000) : s);
        } catch (IOException e) {
            return "--- " + log + ": " + e + " ---";
        }
    }

    /**
     * A JDBC URL for a database of this cluster, as user postgres (trust: no password).
     *
     * @param database the database's name ({@code postgres} always exists)
     * @return {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE?user=postgres}
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /**
     * Creates a database with {@code createdb}.
     *
     * @param name the new database's name
     * @throws Exception when createdb fails, with its output
     */
    public void createDatabase(String name) throws Exception {
        run(
                dir,
                "createdb-" + name,
                List.of(
                        bin.resolve("createdb").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-U",
                        "postgres",
                        name));
    }

    /** Stops the server (a fast shutdown; then SIGKILL after 10 s). */
    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = p.descendants().toList();
        // setpriv execs the server, so the process is postmaster itself: SIGINT is its fast shutdown
        ProcessBuilder kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid()));
        try {
            kill.start().waitFor(5, TimeUnit.SECONDS);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
    }

    private static Path findBin() {
        Path base = Path.of("/usr/lib/postgresql");
        if (Needs.pretendMissing("postgresql") || !Files.isDirectory(base)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(
                            b -> numeric(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int numeric(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails clearly when a server running as another user could not reach {@code dir}. */
    private static void reachableByOthers(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new AssertionError(p + " is not searchable by other users (mode "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                        + "), so a server running as its own user cannot reach " + dir);
            }
        }
    }

    private static void chown(Path path, String user, String group) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(user));
        view.setGroup(users.lookupPrincipalByGroupName(group));
    }

    private static void run(Path dir, String name, List<String> cmd) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within 60 s\ncommand: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(name + " failed with exit code " + p.exitValue() + "\ncommand: "
                    + String.join(" ", cmd) + "\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> out = new ArrayList<>(head);
        out.addAll(List.of(tail));
        return out;
    }
}
