package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.Explainer;
import org.portlens.Explanation;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.discovery.SocketTable;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/**
 * What the macOS and Windows readers give that Linux's never does, in text: no descriptor or uid
 * (Windows), a service or launchd job as the source, a socket whose user no tool named.
 */
class OtherSystemTextTest {

    private static String explain(Listener l) {
        SocketTable table = new SocketTable() {
            @Override
            public Discovery read(Query query) {
                return new Discovery(List.of(l), 0, 0, new Coverage(true, 40, 0, 0, 0, 0, 0, List.of()));
            }
        };
        Explanation e = Explainer.builder()
                .socketTable(table)
                .build()
                .explain(PortRange.of(l.local().port()), Optional.of(Transport.TCP));
        StringWriter out = new StringWriter();
        new ExplanationText(new Style(false), new PrintWriter(out)).explanation(e);
        return out.toString();
    }

    private static Listener listener(int port, Owner owner, int uid, String user) {
        return new Listener(
                Transport.TCP,
                new Endpoint("0.0.0.0", port, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                uid,
                user,
                0,
                new NetNamespace(0, "", true),
                List.of(owner));
    }

    @Test
    void aWindowsServiceOwnerHasNoDescriptorOrUidAndIsRunByItsService() {
        ProcessInfo svchost = new ProcessInfo(
                1052,
                908,
                "svchost.exe",
                "C:\\WINDOWS\\system32\\svchost.exe",
                List.of("C:\\WINDOWS\\system32\\svchost.exe", "-k", "RPCSS", "-p"),
                -1,
                "NT AUTHORITY\\NETWORK SERVICE",
                Instant.parse("2026-11-30T08:12:41Z"),
                null,
                List.of(new ProcessRef(908, "services.exe", "C:\\WINDOWS\\system32\\services.exe")),
                new Source(
                        Source.Kind.WINDOWS_SERVICE,
                        "RpcSs",
                        "Windows services RpcEptMapper, RpcSs (one shared process)"),
                "",
                List.of());
        String text = explain(listener(135, new Owner.Known(svchost, -1), -1, svchost.user()));
        assertThat(text).contains("svchost.exe (pid 1052) user NT AUTHORITY\\NETWORK SERVICE\n");
        assertThat(text).doesNotContain("fd -1").doesNotContain("uid -1");
        assertThat(text).contains("Windows services RpcEptMapper, RpcSs (one shared process)");
    }

    @Test
    void aMacSocketOnlyNetstatListedHasNoUserLine() {
        String text = explain(listener(
                22,
                new Owner.Hidden("lsof shows only your own processes' sockets: run as root (sudo portlens …)"),
                -1,
                ""));
        assertThat(text).contains("hidden: lsof shows only your own processes' sockets: run as root");
        assertThat(text).doesNotContain("socket of user").doesNotContain("uid -1");
    }
}
