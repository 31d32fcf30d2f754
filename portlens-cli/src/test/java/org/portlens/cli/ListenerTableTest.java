package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.model.BindScope;
import org.portlens.model.Container;
import org.portlens.model.ContainerRuntime;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/** {@code portlens ls}'s table: the CONTAINER column, shown only when a holder runs in a container. */
class ListenerTableTest {

    private static final String ID = "3f2a9c1d5e6b" + "0123456789abcdef".repeat(3) + "0123";

    private static Listener heldBy(int port, String name, Container c) {
        ProcessInfo p = new ProcessInfo(
                100 + port,
                1,
                name,
                "/usr/bin/" + name,
                List.of(name),
                0,
                "root",
                null,
                "/",
                List.of(),
                c == null
                        ? new Source(Source.Kind.SYSTEMD_UNIT, name + ".service", "systemd unit " + name + ".service")
                        : new Source(Source.Kind.CONTAINER, "docker:" + ID, "docker container " + c.name()),
                "",
                List.of(),
                c);
        return new Listener(
                Transport.TCP,
                new Endpoint("0.0.0.0", port, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                port,
                new NetNamespace(1, "", true),
                List.of(new Owner.Known(p, 3)));
    }

    private static String table(List<Listener> rows) {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        new ListenerTable(new Style(false), w).table(rows, new Coverage(true, 2, 0, 0, 0, 0, 0, List.of()));
        w.flush();
        return out.toString();
    }

    @Test
    void showsTheContainerColumnOnlyWhenAHolderRunsInOne() {
        Container web = new Container(
                ContainerRuntime.DOCKER, ID, "web-1", "nginx:1.27", "", null, List.of(), List.of(), List.of());
        String with = table(List.of(heldBy(22, "sshd", null), heldBy(8080, "nginx", web)));
        List<String> lines = with.lines().toList();
        assertThat(lines.get(0)).contains("PROCESS").contains("CONTAINER").contains("SOURCE");
        int column = lines.get(0).indexOf("CONTAINER");
        assertThat(lines.get(1)).contains("sshd");
        assertThat(lines.get(1).substring(column)).startsWith("- ");
        assertThat(lines.get(2).substring(column)).startsWith("web-1 ");

        String without = table(List.of(heldBy(22, "sshd", null)));
        assertThat(without.lines().findFirst().orElseThrow()).doesNotContain("CONTAINER");
    }

    @Test
    void escapesAContainerNameFromTheRuntimesState() {
        Container evil = new Container(
                ContainerRuntime.DOCKER, ID, "web\u001b[31m", "x", "", null, List.of(), List.of(), List.of());
        assertThat(table(List.of(heldBy(8080, "nginx", evil))))
                .doesNotContain("\u001b")
                .contains("web\\x1b[31m");
    }

    @Test
    void showsTheForwardColumnOnlyWhenAForwarderHoldsASocket() {
        Listener proxy = heldBy(8080, "docker-proxy", null);
        Listener server = heldBy(80, "nginx\u001b[2J", null);
        Listener ssh = heldBy(22, "sshd", null);
        Forward served = new Forward("docker-proxy", 8180, Transport.TCP, "172.17.0.2", 80, List.of(server), List.of());
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        new ListenerTable(new Style(false), w)
                .table(List.of(ssh, proxy), new Coverage(true, 2, 0, 0, 0, 0, 0, List.of()), Map.of(proxy, served));
        w.flush();
        List<String> lines = out.toString().lines().toList();
        int column = lines.get(0).indexOf("FORWARD");
        assertThat(column).isPositive();
        assertThat(lines.get(1).substring(column)).startsWith("- ");
        assertThat(lines.get(2).substring(column)).startsWith("→ 172.17.0.2:80 nginx\\x1b[2J ");
        assertThat(out.toString()).doesNotContain("\u001b");
        assertThat(ListenerTable.forwardCell(
                        new Forward("docker-proxy", 1, Transport.TCP, "172.17.0.3", 80, List.of(), List.of("n"))))
                .isEqualTo("→ 172.17.0.3:80 (nothing listens)");
        assertThat(table(List.of(ssh)).lines().findFirst().orElseThrow()).doesNotContain("FORWARD");
    }
}
