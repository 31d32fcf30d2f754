package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.packages.PackageLookup;
import org.portlens.packages.PackageOrigin;
import org.portlens.web.json.Json;

/** Each owner's package in the explanation's text and JSON, from a lookup that answers by pid. */
class PackageTextTest {

    static ProcessInfo process(int pid, String exe) {
        return new ProcessInfo(
                pid,
                1,
                "nginx",
                exe,
                List.of(exe),
                0,
                "root",
                Instant.EPOCH,
                "/",
                List.of(),
                Source.unknown("test"),
                "",
                List.of());
    }

    static final Map<Integer, PackageOrigin> ORIGINS = Map.of(
            10,
                    new PackageOrigin.Installed(
                            PackageOrigin.Manager.DPKG, "nginx-core", "1.22.1-9+deb12u1", "amd64", false),
            11, new PackageOrigin.NotPackaged("/opt/nginx/sbin/nginx", false, ""),
            12, new PackageOrigin.Deleted("/usr/sbin/nginx"),
            13, new PackageOrigin.Installed(PackageOrigin.Manager.DPKG, "evil\u001b[31m", "1.0", "amd64", true));

    static Explanation explanation() {
        Listener l = new Listener(
                Transport.TCP,
                new Endpoint("0.0.0.0", 80, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                99,
                new NetNamespace(1, "", true),
                List.of(
                        new Owner.Known(process(10, "/usr/sbin/nginx"), 6),
                        new Owner.Known(process(11, "/opt/nginx/sbin/nginx"), 6),
                        new Owner.Known(process(12, "/usr/sbin/nginx (deleted)"), 6),
                        new Owner.Known(process(13, "/usr/sbin/evil"), 6)));
        SocketTable table = new SocketTable() {
            @Override
            public Discovery read(Query query) {
                return new Discovery(List.of(l), 0, 0, new Coverage(true, 4, 0, 0, 0, 0, 0, List.of()));
            }
        };
        PackageLookup byPid = p -> ORIGINS.get(p.pid());
        return Explainer.builder()
                .socketTable(table)
                .packages(byPid)
                .build()
                .explain(PortRange.of(80), Optional.of(Transport.TCP));
    }

    @Test
    void eachOwnerHasItsPackageLineEscaped() {
        StringWriter out = new StringWriter();
        new ExplanationText(new Style(false), new PrintWriter(out)).explanation(explanation());
        String text = out.toString();

        assertThat(text)
                .contains("      package   nginx-core 1.22.1-9+deb12u1 (dpkg, amd64)\n")
                .contains("      package   not from a package\n")
                .contains("      package   not looked up: executable deleted\n")
                .contains("      package   evil\\x1b[31m 1.0 (dpkg, amd64) of the container's root\n")
                .doesNotContain("\u001b");
        // under the owner's exe line
        assertThat(text).containsPattern("exe       /usr/sbin/nginx\n      package   nginx-core");
    }

    @Test
    void jsonGivesEachKnownOwnerItsPackage() {
        JsonNode owners =
                Json.explanation(explanation()).get("listeners").get(0).get("owners");

        JsonNode installed = owners.get(0).get("package");
        assertThat(installed.get("status").asText()).isEqualTo("installed");
        assertThat(installed.get("manager").asText()).isEqualTo("dpkg");
        assertThat(installed.get("name").asText()).isEqualTo("nginx-core");
        assertThat(installed.get("version").asText()).isEqualTo("1.22.1-9+deb12u1");
        assertThat(installed.get("architecture").asText()).isEqualTo("amd64");
        assertThat(installed.get("otherRoot").asBoolean()).isFalse();
        assertThat(installed.get("text").asText()).isEqualTo("nginx-core 1.22.1-9+deb12u1 (dpkg, amd64)");

        JsonNode none = owners.get(1).get("package");
        assertThat(none.get("status").asText()).isEqualTo("not-packaged");
        assertThat(none.get("manager").isNull()).isTrue();
        assertThat(none.get("name").asText()).isEmpty();
        assertThat(none.get("path").asText()).isEqualTo("/opt/nginx/sbin/nginx");

        assertThat(owners.get(2).get("package").get("status").asText()).isEqualTo("deleted");
        assertThat(owners.get(3).get("package").get("otherRoot").asBoolean()).isTrue();
    }

    @Test
    void lsJsonHasNoPackageKey() {
        JsonNode n = Json.listener(explanation().listeners().get(0).listener());
        assertThat(n.get("owners").get(0).has("package")).isFalse();
    }
}
