package org.portlens.cli.servers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portlens.testkit.Needs;
import org.portlens.testkit.PostgresCluster;

/**
 * Starts real servers (nginx, sshd, redis, memcached, PostgreSQL, MariaDB, mosquitto, dnsmasq,
 * python's http.server) as children of the test JVM, each on 127.0.0.1 on a free port chosen at
 * run time, with its configuration, data and log in its own directory under {@code root} (a
 * {@code @TempDir}). {@link #close()} stops every server it started and any process they forked;
 * a shutdown hook does the same if the JVM dies first.
 *
 * <p>A missing binary is installed as root and otherwise skips the test with the Debian package to
 * install ({@link Needs}); CI installs them all and fails on any skip. Runs as root (the daemons that
 * refuse root are started with {@code setpriv}).
 */
final class Servers implements AutoCloseable {

    /** How long a server may take to accept connections, installing its data directory excluded. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    static final String HTTP_TITLE = "portlens test fixture";
    static final String TLS_NAME = "portlens.test";

    private static final InetAddress LOOPBACK = loopback();
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> LIVE.forEach(p -> stop(p, Duration.ofSeconds(2))), "portlens-servers-reaper"));
    }

    private final Path root;
    private final List<Server> started = new ArrayList<>();

    Servers(Path root) throws IOException {
        this.root = root;
        // @TempDir is created 0700; daemons that drop privileges (postgres, nginx workers,
        // mosquitto, dnsmasq) must be able to reach their files below it.
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** One running server. */
    record Server(String name, String transport, int port, Process process, Path dir, Path log) {

        String target() {
            return "127.0.0.1:" + port;
        }

        long pid() {
            return process.pid();
        }

        /** The end of the server's own output, for failure messages. */
        String logTail() {
            return tail(log);
        }
    }

    // ------------------------------------------------------------------ the servers

    /** nginx serving a page titled {@link #HTTP_TITLE}; with {@code tls}, HTTPS with a fresh self-signed certificate. */
    Server nginx(boolean tls) throws Exception {
        Path nginx = need("nginx", "nginx", "/usr/sbin/nginx");
        String name = tls ? "nginx-https" : "nginx-http";
        Path dir = dir(name);
        Path www = Files.createDirectories(dir.resolve("www"));
        writeIndex(www, "nginx");
        int port = freeTcpPort();
        String ssl = "";
        if (tls) {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            selfSignedCertificate(dir, cert, key);
            ssl = "ssl_certificate " + cert + ";\n        ssl_certificate_key " + key + ";\n";
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log stderr notice;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d%3$s;
                        %4$s
                        root %5$s;
                        index index.html;
                    }
                }
                """.formatted(dir, port, tls ? " ssl" : "", ssl, www));
        return start(
                name,
                "tcp",
                port,
                dir,
                List.of(nginx.toString(), "-e", "stderr", "-p", dir.toString(), "-c", conf.toString()),
                null);
    }

    /** OpenSSH's sshd with an ed25519 host key generated here. */
    Server sshd() throws Exception {
        Path sshd = need("sshd", "openssh-server", "/usr/sbin/sshd");
        Path keygen = need("ssh-keygen", "openssh-client", "/usr/bin/ssh-keygen");
        Path dir = dir("sshd");
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        run(
                dir,
                "ssh-keygen",
                List.of(
                        keygen.toString(),
                        "-q",
                        "-t",
                        "ed25519",
                        "-N",
                        "",
                        "-C",
                        "portlens-test",
                        "-f",
                        hostKey.toString()));
        Path conf = dir.resolve("sshd_config");
        Files.writeString(conf, "PidFile none\nUsePAM no\nLogLevel INFO\n");
        // the privilege-separation directory; the Debian service creates it at boot
        Path privsep = Path.of("/run/sshd");
        if (!Files.isDirectory(privsep)) {
            Files.createDirectories(
                    privsep, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        int port = freeTcpPort();
        return start(
                "sshd",
                "tcp",
                port,
                dir,
                List.of(
                        sshd.toString(),
                        "-D",
                        "-e",
                        "-f",
                        conf.toString(),
                        "-p",
                        Integer.toString(port),
                        "-o",
                        "ListenAddress=127.0.0.1",
                        "-h",
                        hostKey.toString()),
                "Server listening on 127.0.0.1 port " + port);
    }

    Server redis() throws Exception {
        Path redis = need("redis-server", "redis-server", "/usr/bin/redis-server");
        Path dir = dir("redis");
        int port = freeTcpPort();
        return start(
                "redis",
                "tcp",
                port,
                dir,
                List.of(
                        redis.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString()),
                "Ready to accept connections");
    }

    Server memcached() throws Exception {
        Path memcached = need("memcached", "memcached", "/usr/bin/memcached");
        Path dir = dir("memcached");
        int port = freeTcpPort();
        return start(
                "memcached",
                "tcp",
                port,
                dir,
                List.of(
                        memcached.toString(),
                        "-p",
                        Integer.toString(port),
                        "-l",
                        "127.0.0.1",
                        "-U",
                        "0",
                        "-u",
                        "memcache"),
                null);
    }

    /**
     * A fresh PostgreSQL cluster (initdb, trust auth), run as user postgres; TCP only, no Unix socket
     * ({@link PostgresCluster}, shared with the history store's tests).
     */
    Server postgres() throws Exception {
        Path dir = dir("postgres");
        PostgresCluster c = PostgresCluster.start(dir);
        Server s = new Server("postgres", "tcp", c.port(), c.process(), dir, c.log());
        LIVE.add(c.process());
        started.add(s);
        return s;
    }

    /** A fresh MariaDB data directory (mariadb-install-db) served by mariadbd as root. */
    Server mariadb() throws Exception {
        Path install = need("mariadb-install-db", "mariadb-server", "/usr/bin/mariadb-install-db");
        Path mariadbd = need("mariadbd", "mariadb-server", "/usr/sbin/mariadbd");
        Path dir = dir("mariadb");
        Path data = dir.resolve("data");
        run(
                dir,
                "mariadb-install-db",
                List.of(
                        install.toString(),
                        "--no-defaults",
                        "--datadir=" + data,
                        "--user=root",
                        "--auth-root-authentication-method=normal",
                        "--skip-test-db",
                        "--skip-name-resolve"));
        int port = freeTcpPort();
        return start(
                "mariadb",
                "tcp",
                port,
                dir,
                List.of(
                        mariadbd.toString(),
                        "--no-defaults",
                        "--datadir=" + data,
                        "--socket=" + dir.resolve("mysqld.sock"),
                        "--port=" + port,
                        "--bind-address=127.0.0.1",
                        "--user=root",
                        "--pid-file=" + dir.resolve("mariadbd.pid"),
                        "--skip-log-bin",
                        "--skip-name-resolve",
                        "--innodb-buffer-pool-size=16M"),
                "ready for connections");
    }

    Server mosquitto() throws Exception {
        Path mosquitto = need("mosquitto", "mosquitto", "/usr/sbin/mosquitto");
        Path dir = dir("mosquitto");
        int port = freeTcpPort();
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n" + "log_dest stderr\n");
        return start("mosquitto", "tcp", port, dir, List.of(mosquitto.toString(), "-c", conf.toString()), null);
    }

    /** {@code python3 -m http.server} serving a directory with a page titled {@link #HTTP_TITLE}. */
    Server pythonHttp() throws Exception {
        Path python = need("python3", "python3", "/usr/bin/python3");
        Path dir = dir("python-http");
        Path www = Files.createDirectories(dir.resolve("www"));
        writeIndex(www, "python");
        int port = freeTcpPort();
        return start(
                "python-http",
                "tcp",
                port,
                dir,
                List.of(
                        python.toString(),
                        "-m",
                        "http.server",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--directory",
                        www.toString()),
                null);
    }

    /** dnsmasq answering {@code portlens.test → 127.0.0.1} on UDP (and TCP) on a port free for both. */
    Server dnsmasq() throws Exception {
        Path dnsmasq = need("dnsmasq", "dnsmasq", "/usr/sbin/dnsmasq");
        Path dir = dir("dnsmasq");
        int port = freeTcpAndUdpPort();
        return start(
                "dnsmasq",
                "udp",
                port,
                dir,
                List.of(
                        dnsmasq.toString(),
                        "--no-daemon",
                        "--port=" + port,
                        "--listen-address=127.0.0.1",
                        "--bind-interfaces",
                        "--no-resolv",
                        "--no-hosts",
                        "--address=/" + TLS_NAME + "/127.0.0.1",
                        "--pid-file=" + dir.resolve("dnsmasq.pid"),
                        "-C",
                        "/dev/null"),
                null);
    }

    // ------------------------------------------------------------------ versions, as the binaries state them

    /** "1.22.1" from {@code nginx -v}. */
    static String nginxVersion() throws Exception {
        return match(output(need("nginx", "nginx", "/usr/sbin/nginx").toString(), "-v"), "nginx/(\\S+)");
    }

    /** "9.2" from {@code sshd -V} ("OpenSSH_9.2, OpenSSL …"); the banner adds the portable suffix ("9.2p1"). */
    static String opensshVersion() throws Exception {
        return match(output(need("sshd", "openssh-server", "/usr/sbin/sshd").toString(), "-V"), "OpenSSH_([0-9.]+)");
    }

    /** "7.0.15" from {@code redis-server --version}. */
    static String redisVersion() throws Exception {
        return match(
                output(
                        need("redis-server", "redis-server", "/usr/bin/redis-server")
                                .toString(),
                        "--version"),
                "v=(\\S+)");
    }

    /** "1.6.18" from {@code memcached -V}. */
    static String memcachedVersion() throws Exception {
        return match(output(need("memcached", "memcached", "/usr/bin/memcached").toString(), "-V"), "memcached (\\S+)");
    }

    /** "10.11.19" from {@code mariadbd --version}. */
    static String mariadbVersion() throws Exception {
        return match(
                output(need("mariadbd", "mariadb-server", "/usr/sbin/mariadbd").toString(), "--version"),
                "Ver ([0-9.]+)-MariaDB");
    }

    /** "2.90" from {@code dnsmasq --version}. */
    static String dnsmasqVersion() throws Exception {
        return match(
                output(need("dnsmasq", "dnsmasq", "/usr/sbin/dnsmasq").toString(), "--version"),
                "Dnsmasq version (\\S+)");
    }

    // ------------------------------------------------------------------ ports

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    /** A port free on 127.0.0.1 for TCP and UDP both (dnsmasq binds both). */
    static int freeTcpAndUdpPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freeTcpPort();
            try {
                new DatagramSocket(new InetSocketAddress(LOOPBACK, port)).close();
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no port free for both TCP and UDP on 127.0.0.1 after 50 tries");
    }

    /** True when a TCP connection to 127.0.0.1:port is accepted. */
    static boolean acceptsTcp(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when a DNS server on 127.0.0.1:port answers A portlens.test with 127.0.0.1. */
    static boolean answersDns(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            s.setSoTimeout(300);
            byte[] query = dnsQuery(0x5eed, TLS_NAME);
            s.send(new DatagramPacket(query, query.length, LOOPBACK, port));
            byte[] buf = new byte[512];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            s.receive(reply);
            int n = reply.getLength();
            int ancount = ((buf[6] & 0xff) << 8) | (buf[7] & 0xff);
            return n > 16
                    && buf[0] == 0x5e
                    && (buf[1] & 0xff) == 0xed
                    && (buf[3] & 0x0f) == 0
                    && ancount == 1
                    && Arrays.equals(Arrays.copyOfRange(buf, n - 4, n), new byte[] {127, 0, 0, 1});
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] dnsQuery(int id, String name) {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            q.write(b.length);
            q.writeBytes(b);
        }
        q.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return q.toByteArray();
    }

    // ------------------------------------------------------------------ starting and stopping

    /**
     * Starts {@code cmd} in {@code dir} with its output in {@code dir/NAME.log}, then waits until the
     * log shows {@code marker} (when given) and the port answers (a DNS query for udp, a TCP connect
     * otherwise). Fails with the log if the process exits or the wait times out.
     */
    private Server start(String name, String transport, int port, Path dir, List<String> cmd, String marker)
            throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LIVE.add(p);
        Server s = new Server(name, transport, port, p, dir, log);
        started.add(s);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited with code " + p.exitValue() + " before accepting on "
                        + s.target() + "\ncommand: " + String.join(" ", cmd) + "\n" + s.logTail());
            }
            boolean logReady = marker == null
                    || Files.readString(log, StandardCharsets.ISO_8859_1).contains(marker);
            if (logReady && (transport.equals("udp") ? answersDns(port) : acceptsTcp(port))) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not accept on " + transport + " " + s.target() + " within "
                        + START_TIMEOUT.toSeconds() + " s" + (marker == null ? "" : " (waiting for \"" + marker + "\")")
                        + "\ncommand: " + String.join(" ", cmd) + "\n" + s.logTail());
            }
            Thread.sleep(50);
        }
    }

    /** Stops every server started here (last first), and whatever they forked. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i).process();
            stop(p, Duration.ofSeconds(10));
            LIVE.remove(p);
        }
        started.clear();
    }

    /** SIGTERM (every server here shuts down cleanly on it), then SIGKILL for it and its descendants. */
    static void stop(Process p, Duration grace) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
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

    // ------------------------------------------------------------------ helpers

    /**
     * The binary at its Debian path, else on PATH; fails naming the Debian package when neither.
     */
    /**
     * The binary from its Debian package; as root a missing package is installed first, otherwise the
     * test skips saying what to install ({@link Needs}).
     */
    static Path need(String binary, String debianPackage, String debianPath) {
        return Needs.binary(binary, debianPackage, debianPath);
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    private static void writeIndex(Path www, String who) throws IOException {
        Files.writeString(
                www.resolve("index.html"),
                "<!DOCTYPE html>\n<html><head><title>" + HTTP_TITLE + "</title></head><body><p>served by " + who
                        + " for portlens's tests</p></body></html>\n");
    }

    private static void selfSignedCertificate(Path dir, Path cert, Path key) throws Exception {
        Path openssl = need("openssl", "openssl", "/usr/bin/openssl");
        run(
                dir,
                "openssl",
                List.of(
                        openssl.toString(),
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-subj",
                        "/CN=" + TLS_NAME,
                        "-addext",
                        "subjectAltName=DNS:" + TLS_NAME,
                        "-days",
                        "2",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString()));
    }

    /** Runs a set-up command to completion (output in {@code dir/NAME.log}); fails with its output unless it exits 0. */
    private static void run(Path dir, String name, List<String> cmd) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LIVE.add(p);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                stop(p, Duration.ofSeconds(1));
                throw new AssertionError(
                        name + " did not finish within 60 s\ncommand: " + String.join(" ", cmd) + "\n" + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(name + " failed with exit code " + p.exitValue() + "\ncommand: "
                        + String.join(" ", cmd) + "\n" + tail(log));
            }
        } finally {
            LIVE.remove(p);
        }
    }

    /** Stdout and stderr of a short command (version queries). */
    private static String output(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish within 20 s");
        }
        return out;
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + regex + " in: " + text);
        }
        return m.group(1);
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> out = new ArrayList<>(head);
        out.addAll(List.of(tail));
        return out;
    }

    static String tail(Path log) {
        try {
            String s = Files.readString(log, StandardCharsets.ISO_8859_1);
            return "--- " + log + " (last 3000 chars) ---\n" + (s.length() > 3000 ? s.substring(s.length() - 3000) : s);
        } catch (IOException e) {
            return "--- " + log + ": " + e + " ---";
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
