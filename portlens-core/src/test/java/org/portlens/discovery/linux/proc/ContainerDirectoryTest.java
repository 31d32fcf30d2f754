package org.portlens.discovery.linux.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.discovery.linux.proc.CgroupsTest.CONTAINERD_ID;
import static org.portlens.discovery.linux.proc.CgroupsTest.CRIO_ID;
import static org.portlens.discovery.linux.proc.CgroupsTest.DOCKER_ID;
import static org.portlens.discovery.linux.proc.CgroupsTest.PODMAN_ID;
import static org.portlens.discovery.linux.proc.CgroupsTest.POD_UID;
import static org.portlens.discovery.linux.proc.CgroupsTest.fixture;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portlens.model.Container;
import org.portlens.model.Container.Kubernetes;
import org.portlens.model.Container.PublishedPort;
import org.portlens.model.ContainerRuntime;
import org.portlens.model.Transport;

/**
 * Container identity from fake roots built in a temporary directory out of the fixtures of
 * containers/ (its README says what each imitates).
 */
class ContainerDirectoryTest {

    static final String DOCKERSHIM_ID = "d0c4e1a5b7f3" + "0123456789abcdef".repeat(3) + "0123";
    static final String IMAGE_SHA = "sha256:9e1f2d3c4b5a" + "6789abcdef012345".repeat(3) + "6789";
    static final String PODMAN_IMAGE = "4f5e6d7c8b9a" + "0a1b2c3d4e5f6071".repeat(3) + "8293";
    static final String DOCKER_DIR = "var/lib/docker/containers/" + DOCKER_ID + "/";
    static final String PODMAN_STORE = "var/lib/containers/storage/overlay-containers/";
    static final String TASKS = "run/containerd/io.containerd.runtime.v2.task/";
    static final String CRIO_DIR = "run/containers/storage/overlay-containers/" + CRIO_ID + "/userdata/";

    @TempDir
    Path root;

    /** Copies fixture {@code name} of containers/ to {@code target} under the fake root. */
    private Path place(String name, String target) throws IOException {
        Path p = root.resolve(target);
        Files.createDirectories(p.getParent());
        Files.writeString(p, fixture(name));
        return p;
    }

    private Container lookup(ContainerRuntime runtime, String id) {
        return lookup(new Cgroups.ContainerRef(runtime, id, false, ""), null);
    }

    private Container lookup(Cgroups.ContainerRef ref, Path home) {
        return new ContainerDirectory(root).lookup(ref, home);
    }

    private static Cgroups.ContainerRef kubernetes(ContainerRuntime runtime, String id) {
        return new Cgroups.ContainerRef(runtime, id, true, POD_UID);
    }

    // Docker

    @Test
    void readsNameImageAddressAndPublishedPortsOfADockerContainer() throws IOException {
        place("docker/config.v2.json", DOCKER_DIR + "config.v2.json");
        place("docker/hostconfig.json", DOCKER_DIR + "hostconfig.json");
        Container c = lookup(ContainerRuntime.DOCKER, DOCKER_ID);
        assertThat(c.name()).isEqualTo("web-1");
        assertThat(c.image()).isEqualTo("nginx:1.27");
        assertThat(c.imageId()).isEqualTo(IMAGE_SHA);
        assertThat(c.kubernetes()).isNull();
        assertThat(c.addresses()).containsExactly("172.17.0.2");
        assertThat(c.published())
                .containsExactly(
                        new PublishedPort(Transport.TCP, "0.0.0.0", 8080, 80),
                        new PublishedPort(Transport.TCP, "::", 8080, 80),
                        new PublishedPort(Transport.UDP, "127.0.0.1", 5353, 53));
        assertThat(c.notes()).isEmpty();
        assertThat(c.shortId()).isEqualTo("d0c4e1a5b7f2");
        assertThat(c.runtimeLabel()).isEqualTo("docker");
    }

    @Test
    void readsKubernetesPodFromDockershimLabelsAndPortsFromHostConfig() throws IOException {
        String dir = "var/lib/docker/containers/" + DOCKERSHIM_ID + "/";
        place("docker/config.v2-dockershim.json", dir + "config.v2.json");
        place("docker/hostconfig.json", dir + "hostconfig.json");
        Container c = lookup(kubernetes(ContainerRuntime.DOCKER, DOCKERSHIM_ID), null);
        assertThat(c.kubernetes()).isEqualTo(new Kubernetes("shop-7c9d8f-x2x9z", "default", "web", POD_UID));
        assertThat(c.runtimeLabel()).isEqualTo("kubernetes-via-docker");
        assertThat(c.published())
                .containsExactly(
                        new PublishedPort(Transport.TCP, "", 8080, 80),
                        new PublishedPort(Transport.UDP, "127.0.0.1", 5353, 53),
                        new PublishedPort(Transport.TCP, "", 0, 9000));
        assertThat(c.notes()).containsExactly("1 port binding in /" + dir + "hostconfig.json not understood");
    }

    @Test
    void readsRootlessDockerUnderTheOwnersHome() throws IOException {
        place("docker/config.v2.json", "home/alice/.local/share/docker/containers/" + DOCKER_ID + "/config.v2.json");
        Container c = lookup(
                new Cgroups.ContainerRef(ContainerRuntime.DOCKER, DOCKER_ID, false, ""), root.resolve("home/alice"));
        assertThat(c.name()).isEqualTo("web-1");
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void saysWhereItLookedWhenADockerContainerHasNoState() {
        Container c = lookup(
                new Cgroups.ContainerRef(ContainerRuntime.DOCKER, DOCKER_ID, false, ""), root.resolve("home/bob"));
        assertThat(c).isEqualTo(Container.unnamed(ContainerRuntime.DOCKER, DOCKER_ID, c.notes()));
        assertThat(c.notes())
                .containsExactly(
                        "neither /" + DOCKER_DIR + "config.v2.json nor /home/bob/.local/share/docker/containers/"
                                + DOCKER_ID + "/config.v2.json found");
    }

    @Test
    void saysWhenAHostConfigIsTruncatedAndConfigHasNoPorts() throws IOException {
        String dir = "var/lib/docker/containers/" + DOCKERSHIM_ID + "/";
        place("docker/config.v2-dockershim.json", dir + "config.v2.json");
        place("docker/hostconfig-truncated.json", dir + "hostconfig.json");
        Container c = lookup(ContainerRuntime.DOCKER, DOCKERSHIM_ID);
        assertThat(c.name()).startsWith("k8s_web_");
        assertThat(c.published()).isEmpty();
        assertThat(c.notes()).singleElement().asString().startsWith("/" + dir + "hostconfig.json is not valid JSON (");
    }

    // Podman

    @Test
    void readsNameAndImageOfARootfulPodmanContainer() throws IOException {
        place("podman/containers.json", PODMAN_STORE + "containers.json");
        place("podman/config.json", PODMAN_STORE + PODMAN_ID + "/userdata/config.json");
        Container c = lookup(ContainerRuntime.PODMAN, PODMAN_ID);
        assertThat(c)
                .isEqualTo(new Container(
                        ContainerRuntime.PODMAN,
                        PODMAN_ID,
                        "web-podman",
                        "docker.io/library/nginx:1.27",
                        PODMAN_IMAGE,
                        null,
                        List.of(),
                        List.of(),
                        List.of()));
    }

    @Test
    void readsARootlessPodmanContainerUnderTheOwnersHome() throws IOException {
        String store = "home/alice/.local/share/containers/storage/overlay-containers/";
        place("podman/containers.json", store + "containers.json");
        place("podman/config.json", store + PODMAN_ID + "/userdata/config.json");
        Container c = lookup(
                new Cgroups.ContainerRef(ContainerRuntime.PODMAN, PODMAN_ID, false, ""), root.resolve("home/alice"));
        assertThat(c.name()).isEqualTo("web-podman");
        assertThat(c.image()).isEqualTo("docker.io/library/nginx:1.27");
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void keepsThePodmanNameWhenItsMetadataIsCutShort() throws IOException {
        place("podman/containers-bad-metadata.json", PODMAN_STORE + "containers.json");
        place("podman/config.json", PODMAN_STORE + PODMAN_ID + "/userdata/config.json");
        Container c = lookup(ContainerRuntime.PODMAN, PODMAN_ID);
        assertThat(c.name()).isEqualTo("web-podman");
        assertThat(c.image()).isEmpty();
        assertThat(c.notes())
                .singleElement()
                .asString()
                .startsWith("the metadata of container a11cebadf00d in /" + PODMAN_STORE
                        + "containers.json is not valid JSON (");
    }

    @Test
    void saysWhenPodmansSpecNamesAnotherManager() throws IOException {
        place("podman/containers.json", PODMAN_STORE + "containers.json");
        place("podman/config-other-manager.json", PODMAN_STORE + PODMAN_ID + "/userdata/config.json");
        assertThat(lookup(ContainerRuntime.PODMAN, PODMAN_ID).notes())
                .containsExactly("/" + PODMAN_STORE + PODMAN_ID
                        + "/userdata/config.json says the container is managed by 'buildah', not Podman");
    }

    @Test
    void saysWhenPodmansListLacksTheContainer() throws IOException {
        place("podman/containers.json", PODMAN_STORE + "containers.json");
        String other = "a11cebadf00f" + PODMAN_ID.substring(12);
        Files.createDirectories(root.resolve(PODMAN_STORE + other));
        Container c = lookup(ContainerRuntime.PODMAN, other);
        assertThat(c.name()).isEmpty();
        assertThat(c.notes()).contains("container a11cebadf00f not in /" + PODMAN_STORE + "containers.json");
    }

    @Test
    void saysWhenThereIsNoPodmanStateAtAll() {
        Container c = lookup(ContainerRuntime.PODMAN, PODMAN_ID);
        assertThat(c.notes()).containsExactly("/" + PODMAN_STORE + "containers.json not found");
    }

    // containerd and CRI-O (Kubernetes)

    @Test
    void readsAKubernetesContainerOfContainerdsCriPlugin() throws IOException {
        place("containerd/config.json", TASKS + "k8s.io/" + CONTAINERD_ID + "/config.json");
        Files.createDirectories(root.resolve(TASKS + "moby"));
        Container c = lookup(kubernetes(ContainerRuntime.CONTAINERD, CONTAINERD_ID), null);
        assertThat(c.name()).isEqualTo("web");
        assertThat(c.image()).isEqualTo("registry.example/shop/web:2.4.1");
        assertThat(c.kubernetes()).isEqualTo(new Kubernetes("shop-7c9d8f-x2x9z", "default", "web", POD_UID));
        assertThat(c.runtimeLabel()).isEqualTo("kubernetes-via-containerd");
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void namesThePodsSandboxContainer() throws IOException {
        place("containerd/config-sandbox.json", TASKS + "k8s.io/" + CONTAINERD_ID + "/config.json");
        Container c = lookup(kubernetes(ContainerRuntime.CONTAINERD, CONTAINERD_ID), null);
        assertThat(c.name()).isEqualTo("POD");
        assertThat(c.kubernetes()).isEqualTo(new Kubernetes("shop-7c9d8f-x2x9z", "default", "", POD_UID));
    }

    @Test
    void saysContainerdKeepsANonKubernetesContainersNameInItsDatabase() throws IOException {
        place("containerd/config-not-kubernetes.json", TASKS + "default/" + CONTAINERD_ID + "/config.json");
        Container c = lookup(ContainerRuntime.CONTAINERD, CONTAINERD_ID);
        assertThat(c.name()).isEmpty();
        assertThat(c.notes())
                .singleElement()
                .asString()
                .contains("metadata database")
                .contains("namespace default");
    }

    @Test
    void readsAKubernetesContainerOfCriO() throws IOException {
        place("cri-o/config.json", CRIO_DIR + "config.json");
        Container c = lookup(kubernetes(ContainerRuntime.CRI_O, CRIO_ID), null);
        assertThat(c.name()).isEqualTo("api");
        assertThat(c.image()).isEqualTo("registry.example/shop/api:3.0");
        assertThat(c.kubernetes()).isEqualTo(new Kubernetes("api-5f6d7c-k8l2m", "shop", "api", POD_UID));
        assertThat(c.runtimeLabel()).isEqualTo("kubernetes-via-cri-o");
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void namesCriOsSandbox() throws IOException {
        place("cri-o/config-sandbox.json", CRIO_DIR + "config.json");
        Container c = lookup(kubernetes(ContainerRuntime.CRI_O, CRIO_ID), null);
        assertThat(c.name()).isEqualTo("POD");
        assertThat(c.kubernetes()).isEqualTo(new Kubernetes("api-5f6d7c-k8l2m", "shop", "", POD_UID));
    }

    @Test
    void findsTheRuntimeOfAKubernetesPathThatNamesNone() throws IOException {
        place("containerd/config.json", TASKS + "k8s.io/" + CONTAINERD_ID + "/config.json");
        Container c = lookup(kubernetes(ContainerRuntime.UNKNOWN, CONTAINERD_ID), null);
        assertThat(c.runtime()).isEqualTo(ContainerRuntime.CONTAINERD);
        assertThat(c.name()).isEqualTo("web");
    }

    @Test
    void keepsThePodUidOfAKubernetesPathWhoseRuntimeStateIsNowhere() {
        Container c = lookup(kubernetes(ContainerRuntime.UNKNOWN, CONTAINERD_ID), null);
        assertThat(c.runtime()).isEqualTo(ContainerRuntime.UNKNOWN);
        assertThat(c.kubernetes()).isEqualTo(new Kubernetes("", "", "", POD_UID));
        assertThat(c.runtimeLabel()).isEqualTo("kubernetes-via-unknown");
        assertThat(c.notes()).singleElement().asString().startsWith("the cgroup names no runtime");
    }

    @Test
    void saysWhenContainerdsTaskDirectoryIsMissing() {
        assertThat(lookup(ContainerRuntime.CONTAINERD, CONTAINERD_ID).notes())
                .containsExactly("/" + TASKS.substring(0, TASKS.length() - 1)
                        + " not found (containerd not running, or a version before runtime v2)");
    }

    // LXC and systemd-nspawn

    @Test
    void readsAnLxcContainersConfig() throws IOException {
        place("lxc/config", "var/lib/lxc/web01/config");
        Container c = lookup(ContainerRuntime.LXC, "web01");
        assertThat(c)
                .isEqualTo(new Container(
                        ContainerRuntime.LXC,
                        "web01",
                        "web01",
                        "dir:/var/lib/lxc/web01/rootfs",
                        "",
                        null,
                        List.of("10.0.3.15"),
                        List.of(),
                        List.of()));
    }

    @Test
    void readsLxc2Keys() throws IOException {
        place("lxc/config-lxc2", "var/lib/lxc/old01/config");
        Container c = lookup(ContainerRuntime.LXC, "old01");
        assertThat(c.name()).isEqualTo("old01");
        assertThat(c.image()).isEqualTo("/var/lib/lxc/old01/rootfs");
        assertThat(c.addresses()).containsExactly("10.0.3.20");
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void saysAnLxdInstanceHasNoLxcConfig() {
        assertThat(lookup(ContainerRuntime.LXC, "web01").notes())
                .containsExactly(
                        "/var/lib/lxc/web01/config not found",
                        "an LXD or Incus instance keeps its configuration in its own database, not read");
    }

    @Test
    void readsASystemdNspawnMachine() throws IOException {
        place("nspawn/machine", "run/systemd/machines/debian-test");
        Container c = lookup(ContainerRuntime.SYSTEMD_NSPAWN, "debian-test");
        assertThat(c.name()).isEqualTo("debian-test");
        assertThat(c.image()).isEqualTo("/var/lib/machines/debian-test");
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void saysAMachineIsAVirtualMachine() throws IOException {
        place("nspawn/machine-vm", "run/systemd/machines/vm1");
        assertThat(lookup(ContainerRuntime.SYSTEMD_NSPAWN, "vm1").notes())
                .containsExactly("systemd-machined lists vm1 as a virtual machine (CLASS=vm), not a container");
    }

    @Test
    void refusesAnIdThatWouldLeaveTheStateDirectory() {
        Container c = lookup(ContainerRuntime.LXC, "..");
        assertThat(c.notes()).containsExactly("the cgroup path names no usable container id ('..')");
    }

    // Broken state: every file of every runtime, truncated or malformed, gives runtime and id plus a note

    static Stream<Arguments> brokenState() {
        return Stream.of(
                Arguments.of(
                        ContainerRuntime.DOCKER,
                        DOCKER_ID,
                        "docker/config.v2-truncated.json",
                        DOCKER_DIR + "config.v2.json",
                        "config.v2.json is not valid JSON (",
                        true),
                Arguments.of(
                        ContainerRuntime.DOCKER,
                        DOCKER_ID,
                        "docker/config.v2-malformed.json",
                        DOCKER_DIR + "config.v2.json",
                        "config.v2.json is not valid JSON (expected ',' or '}', found '\"'",
                        true),
                Arguments.of(
                        ContainerRuntime.PODMAN,
                        PODMAN_ID,
                        "podman/containers-truncated.json",
                        PODMAN_STORE + "containers.json",
                        "containers.json is not valid JSON (",
                        true),
                Arguments.of(
                        ContainerRuntime.PODMAN,
                        PODMAN_ID,
                        "podman/containers-malformed.json",
                        PODMAN_STORE + "containers.json",
                        "containers.json is not valid JSON (expected a value, found ']'",
                        true),
                Arguments.of(
                        ContainerRuntime.PODMAN,
                        PODMAN_ID,
                        "podman/config-truncated.json",
                        PODMAN_STORE + PODMAN_ID + "/userdata/config.json",
                        "userdata/config.json is not valid JSON (",
                        false),
                Arguments.of(
                        ContainerRuntime.CONTAINERD,
                        CONTAINERD_ID,
                        "containerd/config-truncated.json",
                        TASKS + "k8s.io/" + CONTAINERD_ID + "/config.json",
                        "config.json is not valid JSON (",
                        true),
                Arguments.of(
                        ContainerRuntime.CONTAINERD,
                        CONTAINERD_ID,
                        "containerd/config-malformed.json",
                        TASKS + "k8s.io/" + CONTAINERD_ID + "/config.json",
                        "config.json is not valid JSON (expected a string key, found '{'",
                        true),
                Arguments.of(
                        ContainerRuntime.CRI_O,
                        CRIO_ID,
                        "cri-o/config-truncated.json",
                        CRIO_DIR + "config.json",
                        "config.json is not valid JSON (",
                        true),
                Arguments.of(
                        ContainerRuntime.CRI_O,
                        CRIO_ID,
                        "cri-o/config-malformed.json",
                        CRIO_DIR + "config.json",
                        "config.json is not valid JSON (expected a string key, found '''",
                        true),
                Arguments.of(
                        ContainerRuntime.LXC,
                        "web01",
                        "lxc/config-truncated",
                        "var/lib/lxc/web01/config",
                        "config does not end with a newline: truncated?",
                        false),
                Arguments.of(
                        ContainerRuntime.LXC,
                        "web01",
                        "lxc/config-malformed",
                        "var/lib/lxc/web01/config",
                        "3 lines of /var/lib/lxc/web01/config not understood",
                        false),
                Arguments.of(
                        ContainerRuntime.SYSTEMD_NSPAWN,
                        "debian-test",
                        "nspawn/machine-truncated",
                        "run/systemd/machines/debian-test",
                        "debian-test does not end with a newline: truncated?",
                        false),
                Arguments.of(
                        ContainerRuntime.SYSTEMD_NSPAWN,
                        "debian-test",
                        "nspawn/machine-malformed",
                        "run/systemd/machines/debian-test",
                        "1 line of /run/systemd/machines/debian-test not understood",
                        false));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("brokenState")
    void givesRuntimeAndIdAndANoteForBrokenState(
            ContainerRuntime runtime, String id, String fixture, String target, String note, boolean nameUnknown)
            throws IOException {
        place(fixture, target);
        if (runtime == ContainerRuntime.PODMAN && !fixture.contains("containers")) {
            place("podman/containers.json", PODMAN_STORE + "containers.json");
        }
        if (runtime == ContainerRuntime.PODMAN && fixture.contains("containers")) {
            Files.createDirectories(root.resolve(PODMAN_STORE + id));
        }
        Container c = lookup(runtime, id);
        assertThat(c.runtime()).isEqualTo(runtime);
        assertThat(c.id()).isEqualTo(id);
        if (nameUnknown) {
            assertThat(c.name()).isEmpty();
            assertThat(c.image()).isEmpty();
        }
        assertThat(c.notes()).anySatisfy(n -> assertThat(n).contains(note));
    }

    @Test
    void saysWhatIsLostWhenAFileIsCutShort() throws IOException {
        place("lxc/config-truncated", "var/lib/lxc/web01/config");
        Container c = lookup(ContainerRuntime.LXC, "web01");
        assertThat(c.image()).isEmpty(); // lxc.rootfs.path came after the cut
        assertThat(c.notes())
                .containsExactly("/var/lib/lxc/web01/config does not end with a newline: truncated? Its last line,"
                        + " 'lxc', is ignored");
    }

    @Test
    void readsMalformedLxcConfigLinesItUnderstands() throws IOException {
        place("lxc/config-malformed", "var/lib/lxc/web01/config");
        Container c = lookup(ContainerRuntime.LXC, "web01");
        assertThat(c.name()).isEqualTo("web01");
        assertThat(c.image()).isEqualTo("dir:/var/lib/lxc/web01/rootfs");
    }

    // Unreadable state

    /** (Tests run as root in CI, and root reads files whatever their mode: the mapping is tested alone.) */
    @Test
    void saysToRunAsRootWhenPermissionIsDenied() {
        assertThat(StateFiles.unreadable("/var/lib/docker/containers/x/config.v2.json", new AccessDeniedException("x")))
                .isEqualTo("/var/lib/docker/containers/x/config.v2.json not readable: permission denied; run as root");
    }

    @Test
    void doesNotReadAStateFileOverTheSizeLimit() throws IOException {
        Path config = root.resolve(DOCKER_DIR + "config.v2.json");
        Files.createDirectories(config.getParent());
        try (RandomAccessFile f = new RandomAccessFile(config.toFile(), "rw")) {
            f.setLength(ContainerDirectory.MAX_STATE_BYTES + 1); // sparse: costs no disk
        }
        assertThat(lookup(ContainerRuntime.DOCKER, DOCKER_ID).notes())
                .containsExactly("/" + DOCKER_DIR + "config.v2.json not read: more than 4 MB");
    }

    @Test
    void saysWhenAStateFileIsADirectory() throws IOException {
        Files.createDirectories(root.resolve("run/systemd/machines/debian-test"));
        assertThat(lookup(ContainerRuntime.SYSTEMD_NSPAWN, "debian-test").notes())
                .singleElement()
                .asString()
                .startsWith("/run/systemd/machines/debian-test not readable: ");
    }

    // From the cgroup text

    @Test
    void findsTheContainerOfACgroupText() throws IOException {
        place("docker/config.v2.json", DOCKER_DIR + "config.v2.json");
        assertThat(new ContainerDirectory(root).forCgroup(fixture("cgroup/docker-hybrid-cgroupfs.txt"), null))
                .hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("web-1"));
        assertThat(new ContainerDirectory(root).forCgroup("0::/system.slice/nginx.service\n", null))
                .isEmpty();
        assertThat(new ContainerDirectory(root).forCgroup(null, null)).isEmpty();
    }
}
