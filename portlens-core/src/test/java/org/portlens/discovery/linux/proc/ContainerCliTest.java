package org.portlens.discovery.linux.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.internal.Command;
import org.portlens.model.Container;
import org.portlens.model.ContainerRuntime;

/**
 * The runtimes' programs as the fallback when their state on disk names no container (as for a user
 * who may not read /var/lib/docker): {@code docker inspect}, {@code podman inspect} and {@code crictl
 * inspect} answers written from their documented formats (containers/cli/), handed over by a recorded
 * runner; a refusal, a missing program and a garbled answer.
 */
class ContainerCliTest {

    @TempDir
    Path root; // empty: no state on disk

    private static final String DOCKER_ID = "3f2a9c1d5e6b" + "0123456789abcdef".repeat(3) + "0123";
    private static final String PODMAN_ID = "b22cebadf00d" + "0123456789abcdef".repeat(3) + "4567";
    private static final String CRI_ID = "7c0ffee0" + "0123456789abcdef".repeat(3) + "01234567";

    private static String recorded(String name) throws IOException {
        try (InputStream in = ContainerCliTest.class.getResourceAsStream("containers/cli/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A runner that answers each program with one recorded result, and remembers what ran. */
    private static final class Recorded implements ContainerDirectory.Cli {
        final List<List<String>> ran = new ArrayList<>();
        private final Command.Result answer;

        Recorded(Command.Result answer) {
            this.answer = answer;
        }

        @Override
        public synchronized Command.Result run(List<String> argv) {
            ran.add(argv);
            return answer;
        }
    }

    private Optional<Container> lookup(ContainerDirectory.Cli cli, String cgroup) {
        return new ContainerDirectory(root, cli).forCgroup(cgroup, null);
    }

    @Test
    void dockerInspectNamesAContainerWhoseStateIsNotReadable() throws IOException {
        Recorded cli = new Recorded(new Command.Result(0, recorded("docker-inspect.json"), ""));
        Container c =
                lookup(cli, "0::/system.slice/docker-" + DOCKER_ID + ".scope\n").orElseThrow();
        assertThat(cli.ran).containsExactly(List.of("docker", "inspect", "--type", "container", DOCKER_ID));
        assertThat(c.runtime()).isEqualTo(ContainerRuntime.DOCKER);
        assertThat(c.name()).isEqualTo("shop-web-1");
        assertThat(c.image()).isEqualTo("node:20-slim");
        assertThat(c.imageId()).startsWith("sha256:abab");
        assertThat(c.addresses()).containsExactly("172.18.0.2");
        assertThat(c.published()).hasSize(2);
        assertThat(c.notes()).contains("named by docker inspect (the state on disk did not name it)");
    }

    @Test
    void podmanInspectGivesTheImageNameAndCrictlThePod() throws IOException {
        Container web = lookup(
                        new Recorded(new Command.Result(0, recorded("podman-inspect.json"), "")),
                        "0::/machine.slice/libpod-" + PODMAN_ID + ".scope/container\n")
                .orElseThrow();
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.image()).isEqualTo("docker.io/library/nginx:1.27");
        assertThat(web.addresses()).containsExactly("10.88.0.5");

        Recorded crictl = new Recorded(new Command.Result(0, recorded("crictl-inspect.json"), ""));
        Container api = lookup(
                        crictl,
                        "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/cri-containerd-"
                                + CRI_ID + ".scope\n")
                .orElseThrow();
        assertThat(crictl.ran).containsExactly(List.of("crictl", "inspect", CRI_ID));
        assertThat(api.kubernetes()).isNotNull();
        assertThat(api.kubernetes().pod()).isEqualTo("api-7d9f8c6b5-x2k4q");
        assertThat(api.kubernetes().namespace()).isEqualTo("shop");
        assertThat(api.kubernetes().container()).isEqualTo("api");
        assertThat(api.image()).isEqualTo("registry.example/shop/api:2.4.1");
    }

    @Test
    void aRefusalIsNotedOnceAndNotAskedAgainForTheNextContainer() {
        Recorded cli = new Recorded(
                new Command.Result(
                        1,
                        "",
                        "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock\n"));
        ContainerDirectory dir = new ContainerDirectory(root, cli);
        Container first = dir.forCgroup("0::/system.slice/docker-" + DOCKER_ID + ".scope\n", null)
                .orElseThrow();
        Container second = dir.forCgroup("0::/system.slice/docker-" + DOCKER_ID.replace('3', '4') + ".scope\n", null)
                .orElseThrow();
        assertThat(first.name()).isEmpty();
        assertThat(first.notes())
                .contains("docker inspect exited 1: permission denied while trying to connect to the Docker daemon"
                        + " socket at unix:///var/run/docker.sock");
        assertThat(second.notes()).contains(first.notes().get(first.notes().size() - 1));
        assertThat(cli.ran).hasSize(1);
    }

    @Test
    void aMissingProgramSaysNothingAndGarbleIsANote() {
        ContainerDirectory.Cli missing = argv -> {
            throw new IOException("Cannot run program \"docker\": error=2, No such file or directory");
        };
        Container c = lookup(missing, "0::/system.slice/docker-" + DOCKER_ID + ".scope\n")
                .orElseThrow();
        assertThat(c.name()).isEmpty();
        assertThat(c.notes()).noneMatch(n -> n.contains("docker inspect"));

        Container garbled = lookup(
                        new Recorded(new Command.Result(0, "[{\"Name\": \"/x\", ", "")),
                        "0::/system.slice/docker-" + DOCKER_ID + ".scope\n")
                .orElseThrow();
        assertThat(garbled.name()).isEmpty();
        assertThat(garbled.notes()).anySatisfy(n -> assertThat(n).startsWith("docker inspect printed no JSON"));

        assertThat(new ContainerDirectory(root).forCgroup("0::/system.slice/docker-" + DOCKER_ID + ".scope\n", null))
                .as("no runner: nothing runs")
                .hasValueSatisfying(x -> assertThat(x.name()).isEmpty());
    }
}
