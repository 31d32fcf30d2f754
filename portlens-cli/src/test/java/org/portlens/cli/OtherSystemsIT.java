package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.internal.OperatingSystem;
import org.portlens.testkit.Needs;

/**
 * The packaged jar's discovery on macOS and Windows, live: a listener this test opens is found with
 * this JVM's pid. Each test runs only on its system (a later CI with a Mac and a Windows runner); on
 * Linux each says why it did not run, and the build lists it apart from the skips (its parsers and
 * whole reader run on recorded output in portlens-core: MacSocketTableTest, WindowsSocketTableTest).
 */
class OtherSystemsIT {

    @Test
    void onMacOsATcpAndAUdpListenerOfThisTestAreFoundWithItsPid() throws Exception {
        Needs.system(OperatingSystem.MACOS, "portlens PORT finds this test's listeners with lsof, netstat and ps");
        findsThisJvmsListeners();
    }

    @Test
    void onWindowsATcpAndAUdpListenerOfThisTestAreFoundWithItsPid() throws Exception {
        Needs.system(OperatingSystem.WINDOWS, "portlens PORT finds this test's listeners with PowerShell");
        findsThisJvmsListeners();
    }

    private static void findsThisJvmsListeners() throws Exception {
        try (ServerSocket tcp = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int port : List.of(tcp.getLocalPort(), udp.getLocalPort())) {
                LiveIT.Result r = LiveIT.portlens(Integer.toString(port), "--json", "--no-probe");
                assertThat(r.code()).as(r.err()).isIn(0, 3);
                JsonNode j = r.json();
                String transport = port == tcp.getLocalPort() ? "tcp" : "udp";
                List<JsonNode> owners = LiveIT.ownersOn(j.get("listeners"), transport, port);
                assertThat(owners).as(r.out()).hasSize(1);
                assertThat(owners.get(0).get("process").get("pid").asLong())
                        .isEqualTo(ProcessHandle.current().pid());
                assertThat(j.get("listeners").get(0).get("scope").asText()).isEqualTo("loopback");
            }
            LiveIT.Result text = LiveIT.portlens(Integer.toString(tcp.getLocalPort()), "--no-probe", "--no-color");
            assertThat(text.out()).contains("pid " + ProcessHandle.current().pid());
            LiveIT.Result ls = LiveIT.portlens("ls", "--json");
            assertThat(ls.code()).as(ls.err()).isIn(0, 3);
            assertThat(ls.out()).contains("\"port\":" + tcp.getLocalPort());
        }
    }
}
