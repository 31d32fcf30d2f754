package org.portlens.discovery.linux.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.portlens.model.ContainerRuntime;

/** The cgroup fixtures (containers/README.md says what each imitates) read to a runtime and id. */
class CgroupsTest {

    static final String DOCKER_ID = "d0c4e1a5b7f20123456789abcdef0123456789abcdef0123456789abcdef0123";
    static final String PODMAN_ID = "a11cebadf00dfedcba9876543210fedcba9876543210fedcba98765432104567";
    static final String CONTAINERD_ID = "c0ffee12345600112233445566ff00112233445566ff00112233445566ff89ab";
    static final String CRIO_ID = "c210bad0c0de89abcdef0123456789abcdef0123456789abcdef01234567cdef";
    static final String NERDCTL_ID = "b0a7f1e1d000aabbccddeeff0011aabbccddeeff0011aabbccddeeff00112233";
    static final String POD_UID = "7d3e5f2a-1b4c-4d6e-8f90-a1b2c3d4e5f6";

    /** A fixture of containers/, as text. */
    static String fixture(String name) {
        String path = "/org/portlens/discovery/linux/proc/containers/" + name;
        try (InputStream in = CgroupsTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "docker-v2-systemd.txt, DOCKER, " + DOCKER_ID + ", false, ''",
        "docker-v1-cgroupfs.txt, DOCKER, " + DOCKER_ID + ", false, ''",
        "docker-hybrid-cgroupfs.txt, DOCKER, " + DOCKER_ID + ", false, ''",
        "podman-rootful-v2.txt, PODMAN, " + PODMAN_ID + ", false, ''",
        "podman-rootless-v2.txt, PODMAN, " + PODMAN_ID + ", false, ''",
        "podman-conmon-v2.txt, PODMAN, " + PODMAN_ID + ", false, ''",
        "kubernetes-containerd-v2-systemd.txt, CONTAINERD, " + CONTAINERD_ID + ", true, " + POD_UID,
        "kubernetes-crio-v1-systemd.txt, CRI_O, " + CRIO_ID + ", true, " + POD_UID,
        "kubernetes-hybrid-cgroupfs.txt, UNKNOWN, " + CONTAINERD_ID + ", true, " + POD_UID,
        "nerdctl-v2-systemd.txt, CONTAINERD, " + NERDCTL_ID + ", false, ''",
        "lxc-v2.txt, LXC, web01, false, ''",
        "lxc-v1.txt, LXC, web01, false, ''",
        "nspawn-service-v2.txt, SYSTEMD_NSPAWN, debian-test, false, ''",
        "nspawn-scope-v2.txt, SYSTEMD_NSPAWN, alpine, false, ''",
    })
    void readsTheRuntimeAndIdOfEachRecordedLayout(
            String file, ContainerRuntime runtime, String id, boolean kubernetes, String podUid) {
        Cgroups.ContainerRef ref = Cgroups.container(fixture("cgroup/" + file));
        assertThat(ref).isEqualTo(new Cgroups.ContainerRef(runtime, id, kubernetes, podUid));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"docker-daemon-v2.txt", "libvirt-vm-v2.txt"})
    void findsNoContainerWhereThereIsNone(String file) {
        assertThat(Cgroups.container(fixture("cgroup/" + file))).isNull();
    }

    @Test
    void findsNoContainerInEmptyOrHostText() {
        assertThat(Cgroups.container(null)).isNull();
        assertThat(Cgroups.container("")).isNull();
        assertThat(Cgroups.container("0::/\n")).isNull();
        assertThat(Cgroups.container("0::/user.slice/user-1000.slice/session-3.scope\n"))
                .isNull();
        assertThat(Cgroups.container("garbage without colons\n")).isNull();
    }

    @Test
    void undoesSystemdUnitNameEscapes() {
        assertThat(Cgroups.unescapeUnitName("debian\\x2dtest")).isEqualTo("debian-test");
        assertThat(Cgroups.unescapeUnitName("a\\x2")).isEqualTo("a\\x2");
        assertThat(Cgroups.unescapeUnitName("a\\xzz")).isEqualTo("a\\xzz");
        assertThat(Cgroups.unescapeUnitName("plain")).isEqualTo("plain");
    }

    @Test
    void ordersPathsUnifiedThenSystemdThenLongest() {
        assertThat(Cgroups.paths("3:cpu:/a\n2:memory:/a/b/c\n1:name=systemd:/s\n0::/u\n"))
                .containsExactly("/u", "/s", "/a/b/c", "/a");
    }

    @Test
    void namesTheUnitFromTheUnifiedPathElseSystemdsV1One() {
        assertThat(Cgroups.unit("0::/system.slice/nginx.service\n")).isEqualTo("/system.slice/nginx.service");
        assertThat(Cgroups.unit("12:cpu:/\n1:name=systemd:/system.slice/cron.service\n0::/\n"))
                .isEqualTo("/system.slice/cron.service");
        assertThat(Cgroups.unit("4:memory:/process_api/2e68\n1:name=systemd:/\n0::/\n"))
                .as("a v1 controller's path is not a unit")
                .isNull();
        assertThat(Cgroups.unit("")).isNull();
        assertThat(Cgroups.unit(null)).isNull();
    }
}
