package org.portlens.discovery.linux.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.linux.proc.SourceClassifier.Link;
import org.portlens.model.Container;
import org.portlens.model.ContainerRuntime;
import org.portlens.model.Source;

/**
 * cgroup texts are in the format of /proc/PID/cgroup: cgroup v2 ({@code 0::PATH}) as systemd 252
 * (Debian 12) lays out slices, scopes and services, container paths as Docker 24 (systemd cgroup
 * driver), Podman 4, containerd/kubelet (systemd driver) and LXC 5 name them, and cgroup v1 text
 * as a CentOS 7 host prints it. They are written for these tests from those documented layouts,
 * not recorded, except {@link #THIS_MACHINE}, recorded with {@code cat /proc/self/cgroup} on the
 * machine that wrote them (Debian 12 container, kernel 6.18.44-fc-v782, root).
 */
class SourceClassifierTest {

    static final String THIS_MACHINE = """
            9:name=systemd:/
            8:pids:/
            7:blkio:/
            6:freezer:/
            5:devices:/
            4:memory:/process_api/30dd5df225ec7660c7df0fac02cd6ae8
            3:cpuset:/
            2:cpuacct:/
            1:cpu:/
            0::/
            """;

    /** A 64-hex-digit container id. */
    static final String CONTAINER_ID = "3f2a9c1d5e6b" + "0123456789abcdef".repeat(3) + "0123";

    private static final Link INIT = new Link(1, 0, "systemd", "/sbin/init", "");

    private static Link link(int pid, int ppid, String comm) {
        return new Link(pid, ppid, comm, comm, "");
    }

    @Test
    void classifiesSystemdUnit() {
        Source s = SourceClassifier.classify(
                "0::/system.slice/nginx.service\n",
                List.of(new Link(812, 1, "nginx", "nginx: master process /usr/sbin/nginx", ""), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.SYSTEMD_UNIT);
        assertThat(s.name()).isEqualTo("nginx.service");
        assertThat(s.detail()).isEqualTo("systemd unit nginx.service");
    }

    @Test
    void classifiesTemplatedSystemdUnitInNestedSlice() {
        Source s = SourceClassifier.classify(
                "0::/system.slice/system-getty.slice/getty@tty1.service\n", List.of(link(700, 1, "agetty"), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.SYSTEMD_UNIT);
        assertThat(s.name()).isEqualTo("getty@tty1.service");
    }

    @Test
    void classifiesUserUnit() {
        Source s = SourceClassifier.classify(
                "0::/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service\n",
                List.of(link(5000, 1400, "foo"), link(1400, 1, "systemd"), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.USER_UNIT);
        assertThat(s.name()).isEqualTo("foo.service");
        assertThat(s.detail()).contains("foo.service").contains("user 1000");
    }

    @Test
    void aConmonWhoseCgroupNamesNoContainerIsTheMonitorOfTheOneItsCommandLineNames() {
        String id = "30aae78c5eb6" + "6c170384e42de3b9".repeat(3) + "6534";
        // as Podman 4 with the cgroupfs manager runs it (recorded on this project's machine, the id made up)
        String command = "/usr/bin/conmon --api-version 1 -c " + id + " -u " + id + " -r /usr/bin/runc -n pl-web"
                + " --exit-command /usr/bin/podman --exit-command-arg --root";
        Source s = SourceClassifier.classify(
                "9:name=systemd:/\n8:pids:/libpod_parent/conmon\n0::/libpod_parent/conmon\n",
                List.of(new Link(342, 1, "conmon", command, ""), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("podman:" + id);
        assertThat(s.detail()).isEqualTo("the monitor (conmon) of podman container 30aae78c5eb6");
        Container named = new Container(
                ContainerRuntime.PODMAN, id, "pl-web", "localhost/pl-bb:1", "", null, List.of(), List.of(), List.of());
        assertThat(SourceClassifier.named(s, named).detail())
                .isEqualTo("the monitor (conmon) of podman container pl-web (image localhost/pl-bb:1, 30aae78c5eb6)");
        // CRI-O's conmon names no podman; a conmon without an id, or another program, is no container's
        assertThat(SourceClassifier.classify(
                                "0::/system.slice/crio.service\n",
                                List.of(
                                        new Link(50, 1, "conmon", "conmon --cid=" + id + " -r /usr/bin/crun", ""),
                                        INIT))
                        .name())
                .isEqualTo("cri-o:" + id);
        assertThat(SourceClassifier.classify(
                                "0::/libpod_parent/conmon\n",
                                List.of(new Link(51, 1, "conmon", "conmon -n x", ""), INIT))
                        .kind())
                .isNotEqualTo(Source.Kind.CONTAINER);
        assertThat(SourceClassifier.classify(
                                "0::/system.slice/x.service\n",
                                List.of(new Link(52, 1, "python3", "python3 x.py -c " + id, ""), INIT))
                        .kind())
                .isNotEqualTo(Source.Kind.CONTAINER);
    }

    @Test
    void classifiesDockerContainer() {
        Source s = SourceClassifier.classify(
                "0::/system.slice/docker-" + CONTAINER_ID + ".scope\n",
                List.of(link(9000, 8990, "python3"), link(8990, 1, "containerd-shim"), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("docker:" + CONTAINER_ID);
        assertThat(s.detail()).isEqualTo("docker container 3f2a9c1d5e6b");
    }

    @Test
    void classifiesDockerContainerWithCgroupfsDriver() {
        Source s = SourceClassifier.classify(
                "0::/docker/" + CONTAINER_ID + "\n", List.of(link(9000, 8990, "redis-server")));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("docker:" + CONTAINER_ID);
    }

    @Test
    void doesNotMistakeTheDockerDaemonForAContainer() {
        Source s =
                SourceClassifier.classify("0::/system.slice/docker.service\n", List.of(link(600, 1, "dockerd"), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.SYSTEMD_UNIT);
        assertThat(s.name()).isEqualTo("docker.service");
    }

    @Test
    void classifiesRootlessPodmanContainer() {
        Source s = SourceClassifier.classify(
                "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + CONTAINER_ID
                        + ".scope/container\n",
                List.of(link(9100, 9090, "httpd")));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("podman:" + CONTAINER_ID);
        assertThat(s.detail()).isEqualTo("podman container 3f2a9c1d5e6b");
    }

    @Test
    void classifiesRootfulPodmanContainer() {
        Source s = SourceClassifier.classify(
                "0::/machine.slice/libpod-" + CONTAINER_ID + ".scope/container\n", List.of(link(9100, 9090, "httpd")));
        assertThat(s.name()).isEqualTo("podman:" + CONTAINER_ID);
    }

    @Test
    void classifiesKubernetesContainerWithPodUid() {
        String cgroup = "0::/kubepods.slice/kubepods-burstable.slice/"
                + "kubepods-burstable-pod8b4f2c1e_5d6a_4b7c_9e8f_0a1b2c3d4e5f.slice/cri-containerd-" + CONTAINER_ID
                + ".scope\n";
        Source s = SourceClassifier.classify(cgroup, List.of(link(12000, 11990, "coredns")));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("kubernetes:" + CONTAINER_ID);
        assertThat(s.detail())
                .isEqualTo("kubernetes container 3f2a9c1d5e6b in pod 8b4f2c1e-5d6a-4b7c-9e8f-0a1b2c3d4e5f"
                        + " (containerd)");
    }

    @Test
    void classifiesKubernetesContainerOnCgroupV1() {
        String cgroup = "11:memory:/kubepods/besteffort/pod8b4f2c1e-5d6a-4b7c-9e8f-0a1b2c3d4e5f/" + CONTAINER_ID + "\n"
                + "1:name=systemd:/kubepods/besteffort/pod8b4f2c1e-5d6a-4b7c-9e8f-0a1b2c3d4e5f/" + CONTAINER_ID + "\n";
        Source s = SourceClassifier.classify(cgroup, List.of(link(12000, 11990, "pause")));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.detail()).contains("in pod 8b4f2c1e-5d6a-4b7c-9e8f-0a1b2c3d4e5f");
    }

    @Test
    void classifiesLxcContainer() {
        Source s = SourceClassifier.classify(
                "0::/lxc.payload.web01/system.slice/nginx.service\n", List.of(link(3000, 2990, "nginx")));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("lxc:web01");
        assertThat(s.detail()).isEqualTo("lxc container web01");
    }

    @Test
    void classifiesSystemdNspawnMachine() {
        Source s = SourceClassifier.classify(
                "0::/machine.slice/systemd-nspawn@debian\\x2dtest.service/payload/system.slice/nginx.service\n",
                List.of(link(5000, 4990, "nginx")));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("systemd-nspawn:debian-test");
        assertThat(s.detail()).isEqualTo("systemd-nspawn container debian-test");
    }

    @Test
    void readsSystemdPathFromCgroupV1() {
        String v1 = """
                11:cpuset:/
                10:memory:/system.slice/sshd.service
                9:devices:/system.slice/sshd.service
                8:pids:/system.slice/sshd.service
                7:blkio:/system.slice/sshd.service
                6:freezer:/
                5:net_cls,net_prio:/
                4:perf_event:/
                3:hugetlb:/
                2:cpu,cpuacct:/system.slice/sshd.service
                1:name=systemd:/system.slice/sshd.service
                """;
        assertThat(Cgroups.path(v1)).isEqualTo("/system.slice/sshd.service");
        Source s = SourceClassifier.classify(v1, List.of(new Link(1100, 1, "sshd", "/usr/sbin/sshd -D", ""), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.SYSTEMD_UNIT);
        assertThat(s.name()).isEqualTo("sshd.service");
    }

    @Test
    void prefersUnifiedPath() {
        assertThat(Cgroups.path("1:name=systemd:/system.slice/a.service\n0::/system.slice/b.service\n"))
                .isEqualTo("/system.slice/b.service");
        assertThat(Cgroups.path("")).isNull();
        assertThat(Cgroups.path(null)).isNull();
        assertThat(Cgroups.path("0::/\n")).isEqualTo("/");
    }

    @Test
    void passesOverUnifiedRootForMoreSpecificV1Path() {
        assertThat(Cgroups.path(THIS_MACHINE)).isEqualTo("/process_api/30dd5df225ec7660c7df0fac02cd6ae8");
        assertThat(Cgroups.path("2:cpu:/\n1:name=systemd:/system.slice/nginx.service\n0::/\n"))
                .isEqualTo("/system.slice/nginx.service");
    }

    /**
     * Docker 19.03 with the cgroupfs driver on a cgroup v1/v2 hybrid host (Ubuntu 20.04's default):
     * the v1 hierarchies hold the container, the 0:: line the runtime's unit. This layout is widely
     * published (container-escape write-ups, runtime detection code); the id here is made up.
     */
    @Test
    void classifiesDockerContainerOnHybridHostWhoseUnifiedLineNamesContainerd() {
        String cgroup = "12:pids:/docker/" + CONTAINER_ID + "\n"
                + "11:memory:/docker/" + CONTAINER_ID + "\n"
                + "3:rdma:/\n"
                + "1:name=systemd:/docker/" + CONTAINER_ID + "\n"
                + "0::/system.slice/containerd.service\n";
        Source s = SourceClassifier.classify(
                cgroup, List.of(link(9000, 8990, "python3"), link(8990, 1, "containerd-shim")));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("docker:" + CONTAINER_ID);
    }

    @Test
    void classifiesKubernetesContainerOnHybridHostWhoseUnifiedLineNamesContainerd() {
        String pod = "/kubepods/burstable/poda0178de9-9963-4c21-a277-14564e7abd2b/" + CONTAINER_ID;
        String cgroup = "2:cpu,cpuacct:" + pod + "\n1:name=systemd:" + pod + "\n0::/system.slice/containerd.service\n";
        Source s = SourceClassifier.classify(cgroup, List.of(link(12000, 11990, "coredns")));
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
        assertThat(s.name()).isEqualTo("kubernetes:" + CONTAINER_ID);
        assertThat(s.detail()).contains("in pod a0178de9-9963-4c21-a277-14564e7abd2b");
    }

    @Test
    void stillNamesTheRuntimeUnitForTheRuntimeItself() {
        String cgroup = "1:name=systemd:/system.slice/containerd.service\n0::/system.slice/containerd.service\n";
        Source s = SourceClassifier.classify(cgroup, List.of(link(700, 1, "containerd"), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.SYSTEMD_UNIT);
        assertThat(s.name()).isEqualTo("containerd.service");
    }

    @Test
    void classifiesCronJobByAncestor() {
        List<Link> chain = List.of(
                new Link(7000, 6999, "python3", "python3 /opt/report.py", ""),
                new Link(6999, 6998, "sh", "/bin/sh -c python3 /opt/report.py", ""),
                new Link(6998, 650, "cron", "/usr/sbin/CRON -f", ""),
                new Link(650, 1, "cron", "/usr/sbin/cron -f", ""),
                INIT);
        Source s = SourceClassifier.classify("0::/system.slice/cron.service\n", chain);
        assertThat(s.kind()).isEqualTo(Source.Kind.CRON);
        assertThat(s.name()).isEqualTo("cron");
        assertThat(s.detail()).isEqualTo("started by cron (pid 6998)");
    }

    @Test
    void classifiesInteractiveShellOverSsh() {
        List<Link> chain = List.of(
                new Link(8100, 8050, "python3", "python3 -m http.server 8000", "pts/3"),
                new Link(8050, 8049, "bash", "-bash", "pts/3"),
                new Link(8049, 8040, "sshd", "sshd: app@pts/3", ""),
                new Link(8040, 900, "sshd", "sshd: app [priv]", ""),
                new Link(900, 1, "sshd", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", ""),
                INIT);
        Source s = SourceClassifier.classify("0::/user.slice/user-1000.slice/session-4.scope\n", chain);
        assertThat(s.kind()).isEqualTo(Source.Kind.SHELL);
        assertThat(s.name()).isEqualTo("bash");
        assertThat(s.detail()).isEqualTo("interactive bash on pts/3, ssh session app@pts/3 (sshd pid 8049)");
    }

    @Test
    void classifiesShellInsideTmux() {
        List<Link> chain = List.of(
                new Link(8300, 8200, "node", "node server.js", "pts/5"),
                new Link(8200, 8199, "zsh", "-zsh", "pts/5"),
                new Link(8199, 1, "tmux: server", "tmux new -s dev", ""),
                INIT);
        Source s = SourceClassifier.classify("0::/user.slice/user-1000.slice/session-2.scope\n", chain);
        assertThat(s.kind()).isEqualTo(Source.Kind.SHELL);
        assertThat(s.name()).isEqualTo("zsh");
        assertThat(s.detail()).isEqualTo("interactive zsh on pts/5, inside tmux (pid 8199)");
    }

    @Test
    void doesNotTakeShellWithoutTerminalForInteractive() {
        List<Link> chain = List.of(link(8400, 8399, "node"), link(8399, 1, "bash"), INIT);
        Source s = SourceClassifier.classify("0::/system.slice/app.service\n", chain);
        assertThat(s.kind()).isEqualTo(Source.Kind.SYSTEMD_UNIT);
    }

    @Test
    void classifiesPid1AsInit() {
        Source s = SourceClassifier.classify("0::/init.scope\n", List.of(INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.INIT);
        assertThat(s.name()).isEqualTo("systemd");
        assertThat(s.detail()).contains("pid 1");
    }

    @Test
    void classifiesChildOfKthreaddAsKernel() {
        Source s = SourceClassifier.classify("0::/\n", List.of(new Link(95, 2, "kworker/u8:1", "", "")));
        assertThat(s.kind()).isEqualTo(Source.Kind.KERNEL);
        assertThat(s.name()).isEqualTo("kworker/u8:1");
        assertThat(SourceClassifier.classify("0::/\n", List.of(new Link(2, 0, "kthreadd", "", "")))
                        .kind())
                .isEqualTo(Source.Kind.KERNEL);
    }

    @Test
    void classifiesOrphanInLoginSessionAsSession() {
        // started from a shell with nohup/&, then the shell exited: reparented to pid 1, still in the session scope
        Source s = SourceClassifier.classify(
                "0::/user.slice/user-1000.slice/session-7.scope\n",
                List.of(new Link(4242, 1, "node", "node server.js", ""), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.SESSION);
        assertThat(s.name()).isEqualTo("session-7.scope");
        assertThat(s.detail()).contains("login session 7");
    }

    @Test
    void saysWhyWhenOrphanHasNoUnit() {
        Source s =
                SourceClassifier.classify(THIS_MACHINE, List.of(new Link(4242, 1, "node", "node server.js", ""), INIT));
        assertThat(s.kind()).isEqualTo(Source.Kind.UNKNOWN);
        assertThat(s.name()).isEmpty();
        assertThat(s.detail()).contains("parent is init");
    }

    @Test
    void saysWhyWhenNothingIsFound() {
        Source s = SourceClassifier.classify(
                "",
                List.of(
                        new Link(4242, 4000, "node", "node server.js", ""),
                        new Link(4000, 1, "supervisor", "supervisor", "")));
        assertThat(s.kind()).isEqualTo(Source.Kind.UNKNOWN);
        assertThat(s.detail()).isEqualTo("no unit, container, cron job or terminal found in its cgroup or ancestry");
    }

    @Test
    void handlesEmptyChain() {
        assertThat(SourceClassifier.classify("", List.of()).kind()).isEqualTo(Source.Kind.UNKNOWN);
    }

    @Test
    void containerWinsOverShellAncestry() {
        List<Link> chain = List.of(
                new Link(9000, 8999, "python3", "python3 app.py", "pts/0"),
                new Link(8999, 8990, "bash", "bash", "pts/0"));
        Source s = SourceClassifier.classify("0::/system.slice/docker-" + CONTAINER_ID + ".scope\n", chain);
        assertThat(s.kind()).isEqualTo(Source.Kind.CONTAINER);
    }

    private static final String ID = "3f2a9c1d5e6b" + "0123456789abcdef".repeat(3) + "0123";

    @Test
    void namesAContainerByWhatItsRuntimeSays() {
        Source plain = new Source(Source.Kind.CONTAINER, "docker:" + ID, "docker container 3f2a9c1d5e6b");
        Container web = new Container(
                ContainerRuntime.DOCKER, ID, "web-1", "nginx:1.27", "", null, List.of(), List.of(), List.of());
        assertThat(SourceClassifier.named(plain, web))
                .isEqualTo(new Source(
                        Source.Kind.CONTAINER,
                        "docker:" + ID,
                        "docker container web-1 (image nginx:1.27, 3f2a9c1d5e6b)"));

        Container pod = new Container(
                ContainerRuntime.CONTAINERD,
                ID,
                "",
                "registry.example/shop/api:2.1",
                "",
                new Container.Kubernetes("api-7d9f", "shop", "api", "0f1e"),
                List.of(),
                List.of(),
                List.of());
        Source k8s = new Source(Source.Kind.CONTAINER, "kubernetes:" + ID, "kubernetes container 3f2a9c1d5e6b");
        assertThat(SourceClassifier.named(k8s, pod).detail())
                .isEqualTo("kubernetes container api in pod shop/api-7d9f"
                        + " (image registry.example/shop/api:2.1, containerd, 3f2a9c1d5e6b)");
    }

    @Test
    void keepsTheSourceWhenTheRuntimeGaveNoNameOrItIsNoContainer() {
        Source plain = new Source(Source.Kind.CONTAINER, "podman:" + ID, "podman container 3f2a9c1d5e6b");
        assertThat(SourceClassifier.named(
                        plain, Container.unnamed(ContainerRuntime.PODMAN, ID, List.of("containers.json not found"))))
                .isSameAs(plain);
        Source unit = new Source(Source.Kind.SYSTEMD_UNIT, "nginx.service", "systemd unit nginx.service");
        Container web = new Container(
                ContainerRuntime.DOCKER, ID, "web-1", "nginx:1.27", "", null, List.of(), List.of(), List.of());
        assertThat(SourceClassifier.named(unit, web)).isSameAs(unit);
    }
}
