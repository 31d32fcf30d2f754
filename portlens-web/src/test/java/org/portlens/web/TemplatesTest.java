package org.portlens.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.ProcessRef;
import org.portlens.model.Source;
import org.portlens.model.Transport;

/** Text from other programs lands in the page inert: HTML-escaped, with its control characters shown. */
class TemplatesTest {

    static final String HOSTILE = "<script>alert(1)</script>\"'\u001b[31m&amp;";

    static Listener hostileListener() {
        ProcessInfo p = new ProcessInfo(
                4242,
                1,
                HOSTILE,
                "/tmp/" + HOSTILE,
                List.of("/tmp/x", HOSTILE, "<img src=x onerror=alert(2)>"),
                1000,
                "user" + HOSTILE,
                Instant.parse("2026-12-01T10:00:00Z"),
                "/tmp",
                List.of(new ProcessRef(1, "<b>init</b>", "init")),
                new Source(Source.Kind.SHELL, "<i>bash</i>", "started from <u>bash</u>"),
                "",
                List.of());
        return new Listener(
                Transport.TCP,
                new Endpoint("127.0.0.1", 5555, false, BindScope.LOOPBACK, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                1000,
                "user",
                77,
                new NetNamespace(4026531840L, "<netns>", false),
                List.of(new Owner.Known(p, 3)));
    }

    @Test
    void untrustedTextInTheListenerTableIsEscapedAndItsControlsShown() {
        ListenerView v = new ListenerView(hostileListener(), null, "", null, List.of("finding about " + HOSTILE));
        Page page = new Page(Messages.of("en"), Links.server(), "t", "/listeners", true, "test", "2026-11-01", null);
        String html = Templates.listeners(page, List.of(v), true, "now");
        assertThat(html)
                .doesNotContain("<script>alert")
                .doesNotContain("<b>init")
                .doesNotContain("<netns>")
                .doesNotContain("\u001b")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("\\x1b[31m")
                .contains("&amp;amp;");
    }

    @Test
    void theOwnersPackageIsOnThePortPageEscaped() {
        Listener l = hostileListener();
        ListenerView v = new ListenerView(
                l,
                null,
                "",
                null,
                List.of(),
                java.util.Map.of(
                        4242,
                        new org.portlens.packages.PackageOrigin.Installed(
                                org.portlens.packages.PackageOrigin.Manager.DPKG,
                                "nginx-core" + HOSTILE,
                                "1.22.1-9+deb12u1",
                                "amd64",
                                false)));

        assertThat(v.packageOf(l.processes().get(0)))
                .startsWith("nginx-core<script>")
                .contains("\\x1b[31m")
                .doesNotContain("\u001b")
                .endsWith(" 1.22.1-9+deb12u1 (dpkg, amd64)");
    }

    @Test
    void thePortPageShowsEachOwnersPackageLine() {
        Listener l = hostileListener();
        org.portlens.packages.PackageLookup lookup = p -> new org.portlens.packages.PackageOrigin.Installed(
                org.portlens.packages.PackageOrigin.Manager.DPKG, "nginx-core<b>", "1.22.1-9+deb12u1", "amd64", false);
        org.portlens.Explanation e = org.portlens.Explainer.builder()
                .socketTable(q -> new org.portlens.discovery.Discovery(
                        List.of(l), 0, 0, new org.portlens.model.Coverage(true, 1, 0, 0, 0, 0, 0, List.of())))
                .packages(lookup)
                .build()
                .explain(org.portlens.model.PortRange.of(5555), java.util.Optional.empty());
        PortView v = new PortView(5555, null, e, true, Instant.EPOCH, Map.of(), Map.of(), null, false, null);
        Page page = new Page(Messages.of("en"), Links.server(), "t", "/port/5555", true, "test", "2026-11-01", null);

        assertThat(Templates.port(page, v))
                .contains(
                        "<dt>Package</dt><dd class=\"package\">nginx-core&lt;b&gt; 1.22.1-9+deb12u1 (dpkg, amd64)</dd>");
    }

    @Test
    void thePortPageShowsARuleForwardAndAForwardersTargetEscaped() {
        Listener server = hostileListener();
        org.portlens.model.RuleForward rule = new org.portlens.model.RuleForward(
                Transport.TCP,
                8080,
                new NetNamespace(1, "", true),
                "",
                true,
                "!docker0",
                false,
                "172.17.0.2",
                80,
                List.of("DOCKER" + HOSTILE),
                "nft",
                List.of(server),
                List.of());
        org.portlens.model.Forward forward = new org.portlens.model.Forward(
                "docker-proxy" + HOSTILE, 811, Transport.TCP, "172.17.0.2", 80, List.of(server), List.of());
        Listener proxy = new Listener(
                Transport.TCP,
                new Endpoint("0.0.0.0", 8080, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                78,
                new NetNamespace(1, "", true),
                List.of(new Owner.Known(server.processes().get(0), 5)));
        org.portlens.discovery.SocketTable table = new org.portlens.discovery.SocketTable() {
            @Override
            public org.portlens.discovery.Discovery read(org.portlens.discovery.Query q) {
                return new org.portlens.discovery.Discovery(
                        List.of(proxy), 0, 0, new org.portlens.model.Coverage(true, 1, 0, 0, 0, 0, 0, List.of()));
            }

            @Override
            public java.util.Optional<org.portlens.model.Forward> forward(Listener l) {
                return java.util.Optional.of(forward);
            }

            @Override
            public org.portlens.model.RuleForwards ruleForwards(
                    org.portlens.model.PortRange ports, java.util.Optional<Transport> transport) {
                return new org.portlens.model.RuleForwards(List.of(rule), List.of("note " + HOSTILE));
            }
        };
        org.portlens.Explanation e = org.portlens.Explainer.builder()
                .socketTable(table)
                .build()
                .explain(org.portlens.model.PortRange.of(8080), java.util.Optional.empty());
        PortView v = new PortView(8080, null, e, true, Instant.EPOCH, Map.of(), Map.of(), null, false, null);
        Page page = new Page(Messages.of("en"), Links.server(), "t", "/port/8080", true, "test", "2026-11-01", null);
        String html = Templates.port(page, v);

        assertThat(html)
                .contains("<h3>tcp 8080 forwarded by a NAT rule (nft, chain DOCKER&lt;script&gt;")
                .contains("<li>forwards to 172.17.0.2:80</li>")
                .contains("<li>served by tcp 127.0.0.1:5555 [netns &lt;netns&gt;], &lt;script&gt;alert(1)")
                .contains("<dt>Forwards</dt><dd class=\"forward\"><ul>")
                .contains("<li>to 172.17.0.2:80 (docker-proxy&lt;script&gt;")
                .contains("NAT rules: note &lt;script&gt;")
                .contains("is forwarded by a NAT rule")
                .doesNotContain("<script>alert")
                .doesNotContain("\u001b");
    }

    @Test
    void aLinkToAReferenceCannotCarryScript() {
        // JTE refuses javascript: in href only for literal text; ours come from IANA's data, so the
        // template links only http, https and mailto contacts: a contact with another scheme is shown as text
        String html = Templates.error(
                new Page(Messages.of("en"), Links.server(), "400", "/", false, "test", "d", null),
                400,
                "port must be a number 0-65535, got '<svg onload=alert(1)>'");
        assertThat(html).doesNotContain("<svg").contains("&lt;svg onload=alert(1)&gt;");
    }
}
