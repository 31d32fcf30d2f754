package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portlens serve} and {@code portlens site} from the packaged jar, as a user runs them. */
class ServeIT {

    @TempDir
    Path tmp;

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    Process serve(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LiveIT.javaBin(), "-jar", LiveIT.jar(), "serve"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PORTLENS_DATA_DIR", tmp.resolve("data").toString());
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        pb.environment().remove("PORTLENS_TOKEN");
        pb.redirectError(tmp.resolve("stderr-" + started.size()).toFile());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    String err(Process p) throws Exception {
        return Files.readString(tmp.resolve("stderr-" + started.indexOf(p)));
    }

    static String readyLine(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the ready line").isNotNull();
        return line;
    }

    @Test
    void servesOnLoopbackSaysWhereAndStopsWithExitZeroOnSigterm() throws Exception {
        Process p = serve("--bind", "127.0.0.1:0", "--no-probe");
        String line = readyLine(p);
        Matcher m = Pattern.compile("portlens serve: (http://127\\.0\\.0\\.1:(\\d+)/) \\(ready in \\d+ ms\\)")
                .matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(m.group(1) + "port/3640")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("What port 3640 is").contains("netplay-port1");
        long t0 = System.nanoTime();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("stopped on purpose").isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(err(p)).doesNotContain("Exception");
    }

    @Test
    void aTokenFileMakesTheApiAndLivePagesNeedIt() throws Exception {
        Path tokenFile = Files.writeString(tmp.resolve("token"), "0123456789abcdef-token\n");
        Process p = serve("--bind", "127.0.0.1:0", "--token-file", tokenFile.toString(), "--no-probe");
        String line = readyLine(p);
        assertThat(line).contains("the API and live pages need the token");
        String base = line.replaceAll(".*(http://[^ ]+/).*", "$1");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> refused = http.send(
                HttpRequest.newBuilder(URI.create(base + "api/listeners")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> allowed = http.send(
                HttpRequest.newBuilder(URI.create(base + "api/listeners"))
                        .header("Authorization", "Bearer 0123456789abcdef-token")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
    }

    @Test
    void badBindAddressesAndTokensAreUsageErrors() throws Exception {
        for (String[] args : new String[][] {
            {"--bind", "127.0.0.1"},
            {"--bind", "127.0.0.1:70000"},
            {"--bind", "example.com:80"},
            {"--bind", "::1:80"},
        }) {
            Process p = serve(args);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = err(p);
            assertThat(p.exitValue()).as(String.join(" ", args) + ": " + err).isEqualTo(2);
            assertThat(err.strip().lines()).as(err).hasSize(1);
            assertThat(err).contains("--bind '" + args[1] + "'");
        }
        Path shortToken = Files.writeString(tmp.resolve("short"), "abc");
        Process p = serve("--bind", "127.0.0.1:0", "--token-file", shortToken.toString());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err(p)).contains("must be 16-512 characters");
    }

    @Test
    void aPortInUseIsSaidInOneLineNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process p = serve("--bind", "127.0.0.1:" + taken.getLocalPort());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = err(p);
            assertThat(p.exitValue()).as(err).isEqualTo(2);
            assertThat(err).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(err.strip().lines()).as(err).hasSize(1);
            // off loopback a token would be made: not for a server that cannot start (no traffic: the bind fails)
            Process q = serve("--bind", "0.0.0.0:" + taken.getLocalPort());
            assertThat(q.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(q.exitValue()).as(err(q)).isEqualTo(2);
            assertThat(tmp.resolve("config/portlens/serve-token")).doesNotExist();
        }
    }

    @Test
    void siteWritesTheReferenceAndRefusesBadInput() throws Exception {
        Path out = tmp.resolve("site");
        CliRun ok = CliRun.of("site", "--out", out.toString(), "--ports", "3639-3641", "--lang", "it");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("portlens site: 3 port pages");
        assertThat(Files.readString(out.resolve("port/3640/index.html"))).contains("Cos'è la porta 3640");

        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep");
        CliRun foreign = CliRun.of("site", "--out", mine.toString(), "--ports", "1-2");
        assertThat(foreign.code()).isEqualTo(2);
        assertThat(foreign.err()).contains("is not empty and holds no portlens site");
        assertThat(Files.readString(mine.resolve("notes.txt"))).isEqualTo("keep");

        assertThat(CliRun.of("site", "--out", out.toString(), "--ports", "70000")
                        .err())
                .contains("--ports");
        assertThat(CliRun.of("site", "--out", out.toString(), "--lang", "fr").err())
                .contains("--lang must be one of en, it, got 'fr'");
        assertThat(CliRun.of("site", "--out", out.toString(), "--base-url", "ftp://x")
                        .code())
                .isEqualTo(2);
    }
}
