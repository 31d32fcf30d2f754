package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code portlens PORT} names the package of a listener's executable: this test's own JVM, as dpkg does. */
class PackageLineIT {

    @Test
    void theJvmListeningHereIsFromThePackageDpkgNamesInJsonAndText() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/dpkg"))) {
            abort("dpkg is missing: this test compares with dpkg -S on a Debian or Ubuntu machine");
        }
        String exe = Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();
        String said = run("dpkg-query", "-S", exe);
        String owner = "";
        for (String line : said.split("\n")) {
            if (!line.startsWith("diversion by ") && line.endsWith(": " + exe)) {
                owner = line.substring(0, line.length() - (": " + exe).length())
                        .split(",")[0]
                        .strip();
            }
        }
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(server.getLocalPort());
            LiveIT.Result json = LiveIT.portlens(port, "--json", "--no-probe");
            LiveIT.Result text = LiveIT.portlens(port, "--no-probe");

            assertThat(json.code()).as(json.err()).isIn(0, 3);
            JsonNode pkg = LiveIT.ownersOn(json.json().get("listeners"), "tcp", server.getLocalPort())
                    .get(0)
                    .get("package");
            if (owner.isEmpty()) { // a JDK unpacked by hand
                assertThat(pkg.get("status").asText()).isEqualTo("not-packaged");
                assertThat(text.out()).contains("      package   not from a package\n");
                return;
            }
            String version = run("dpkg-query", "-W", "-f=${Version}", owner).strip();
            assertThat(pkg.get("status").asText()).isEqualTo("installed");
            assertThat(pkg.get("manager").asText()).isEqualTo("dpkg");
            assertThat(pkg.get("name").asText()).isEqualTo(owner.replaceFirst(":.*", ""));
            assertThat(pkg.get("version").asText()).isEqualTo(version);
            assertThat(text.out())
                    .contains("      package   " + owner.replaceFirst(":.*", "") + " " + version + " (dpkg, ");
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
