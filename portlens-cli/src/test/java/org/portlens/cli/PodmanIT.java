package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * A real container: rootful Podman runs busybox's web server from an image this test imports from a
 * tarball it makes (busybox and the libraries it links, no registry), published on a loopback port;
 * {@code portlens PORT}, from the packaged jar, must follow the port through Podman's NAT rule to the
 * server in the container, name the container and its image, and say what it speaks there.
 *
 * <p>Run with runc and explicit open-file and process limits: on this project's machine kind crun
 * refuses cgroup v1/v2 hybrids and the default limits are above what the sandbox allows. The container
 * and the image are removed after; Podman's default network (its bridge and CNI chains) stays set up, as
 * after any use of Podman.
 */
class PodmanIT {

    private static final String IMAGE = "localhost/portlens-it-busybox:1";
    private static final Pattern LIBRARY = Pattern.compile("(/\\S+\\.so[.\\d]*)");

    @TempDir
    Path dir;

    @Test
    void aPublishedContainerPortIsFollowedThroughPodmansNatRuleToTheServerInTheContainer() throws Exception {
        Needs.root("rootful Podman (its NAT rules, its state under /var/lib/containers)");
        Needs.binary("podman", "podman", "/usr/bin/podman");
        Needs.binary("runc", "runc", "/usr/sbin/runc");
        Path busybox = Needs.binary("busybox", "busybox", "/bin/busybox");
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        copyWithLibraries(busybox, rootfs);
        Files.createDirectories(rootfs.resolve("www"));
        Files.writeString(rootfs.resolve("www/index.html"), "<title>portlens</title>\n");
        Path tar = dir.resolve("rootfs.tar");
        run("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".");
        run("podman", "import", tar.toString(), IMAGE);
        String name = "portlens-it-web-" + ProcessHandle.current().pid();
        int port = LiveIT.freePort();
        try {
            run(
                    "podman",
                    "--runtime",
                    "runc",
                    "run",
                    "-d",
                    "--name",
                    name,
                    "--ulimit",
                    "nofile=1024:1024",
                    "--ulimit",
                    "nproc=1024:1024",
                    "-p",
                    "127.0.0.1:" + port + ":8080",
                    IMAGE,
                    "/bin/busybox",
                    "httpd",
                    "-f",
                    "-p",
                    "8080",
                    "-h",
                    "/www");
            awaitListening(port);

            LiveIT.Result r = LiveIT.portlens(Integer.toString(port), "--json");
            assertThat(r.code()).as(r.err()).isIn(0, 3);
            JsonNode e = r.json();
            List<JsonNode> servers = new ArrayList<>();
            JsonNode viaRule = null;
            for (JsonNode f : e.get("ruleForwards")) {
                f.get("servers").forEach(servers::add);
                viaRule = f;
            }
            for (JsonNode l : e.get("listeners")) {
                if (l.get("forward").isObject()) {
                    l.get("forward").get("servers").forEach(servers::add);
                }
            }
            assertThat(servers)
                    .as("the port followed to busybox in the container: " + e)
                    .anySatisfy(s -> {
                        JsonNode p = s.get("owners").get(0).get("process");
                        assertThat(p.get("name").asText()).isEqualTo("busybox");
                        assertThat(p.get("container").get("name").asText()).isEqualTo(name);
                        assertThat(p.get("container").get("image").asText()).isEqualTo(IMAGE);
                        assertThat(s.get("port").asInt()).isEqualTo(8080);
                        assertThat(s.get("netns").get("current").asBoolean()).isFalse();
                    });
            // Podman (rootful) forwards a published port with a DNAT rule, probed where it leads
            assertThat(viaRule).as("a NAT rule forwarding " + port).isNotNull();
            assertThat(viaRule.get("targetPort").asInt()).isEqualTo(8080);
            assertThat(viaRule.get("reach").asText()).isEqualTo("loopback");
            assertThat(viaRule.get("wire").get("protocol").asText()).isEqualTo("http");

            // conmon holds the published port itself, to reserve it: the monitor of the container
            assertThat(e.get("listeners")).anySatisfy(l -> {
                JsonNode p = l.get("owners").get(0).get("process");
                assertThat(l.get("port").asInt()).isEqualTo(port);
                assertThat(p.get("name").asText()).isEqualTo("conmon");
                assertThat(p.get("container").get("name").asText()).isEqualTo(name);
                assertThat(p.get("source").get("detail").asText())
                        .startsWith("the monitor (conmon) of podman container " + name);
            });

            LiveIT.Result text = LiveIT.portlens(Integer.toString(port), "--no-color");
            assertThat(text.out()).contains("→ container " + name + " (" + IMAGE + ") → busybox (pid ");
            LiveIT.Result ls = LiveIT.portlens("ls", "--container", name, "--no-color");
            assertThat(ls.out()).contains("CONTAINER").contains(":8080").contains(name);
        } finally {
            exec(List.of("podman", "rm", "-f", name));
            exec(List.of("podman", "rmi", "-f", IMAGE));
        }
        assertThat(exec(List.of("podman", "ps", "-a", "--format", "{{.Names}}")).out())
                .as("the container is gone")
                .doesNotContain(name);
    }

    /** The program and every library ldd names for it, at the same paths under {@code rootfs}. */
    private static void copyWithLibraries(Path program, Path rootfs) throws Exception {
        List<Path> files = new ArrayList<>(List.of(program.toRealPath()));
        Result ldd = exec(List.of("ldd", program.toString()));
        Matcher m = LIBRARY.matcher(ldd.out());
        while (m.find()) {
            files.add(Path.of(m.group(1)));
        }
        for (Path f : files) {
            Path to = rootfs.resolve(f.toString().substring(1));
            Files.createDirectories(to.getParent());
            Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
            to.toFile().setExecutable(true);
        }
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        if (!Files.exists(bin.resolve("busybox"))) {
            Files.copy(program.toRealPath(), bin.resolve("busybox"));
        }
    }

    private record Result(int code, String out, String err) {}

    private static Result exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static void run(String... cmd) throws Exception {
        Result r = exec(List.of(cmd));
        assertThat(r.code()).as(String.join(" ", cmd) + ": " + r.err()).isZero();
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port);
    }
}
