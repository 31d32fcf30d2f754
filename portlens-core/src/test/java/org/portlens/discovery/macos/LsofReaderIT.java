package org.portlens.discovery.macos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.Query;
import org.portlens.internal.Command;
import org.portlens.internal.CommandRunner;
import org.portlens.model.BindScope;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Transport;
import org.portlens.testkit.Needs;

/**
 * The macOS reader's lsof and ps halves on a real system: lsof's field output and procps's {@code ps}
 * take the same options on Linux, so here they run for real against a server this test starts. Only
 * BSD netstat and launchctl have no Linux twin: they answer nothing, as on a Mac where they are
 * missing. ({@code MacReaderIT} runs the whole reader on a Mac.)
 */
class LsofReaderIT {

    /** Debian's English UTF-8 locale, always there (macOS's en_US.UTF-8 is not, on a bare Debian). */
    private static final String UTF8 = "C.UTF-8";

    @Test
    void findsTheServerItStartedWithItsProcessAndStartTime() throws Exception {
        Path lsof = Needs.binary("lsof", "lsof", "/usr/bin/lsof");
        Needs.binary("ps", "procps", "/usr/bin/ps");
        String python = Needs.binary("python3", "python3", "/usr/bin/python3").toString();
        String script = "import socket,sys\n"
                + "s=socket.socket(socket.AF_INET6);s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,1)\n"
                + "s.bind(('::1',0));s.listen()\n"
                + "print(s.getsockname()[1],flush=True);sys.stdin.read()\n";
        Process server = new ProcessBuilder(python, "-c", script, "Zürich srv").start();
        try {
            int port = Integer.parseInt(
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                            .readLine()
                            .strip());
            List<List<String>> ran = new ArrayList<>();
            CommandRunner realLsofAndPs = argv -> {
                ran.add(argv);
                switch (argv.get(0)) {
                    case "lsof":
                        List<String> real = new ArrayList<>(argv);
                        real.set(0, lsof.toString());
                        return Command.run(real, UTF8, Duration.ofSeconds(20), 32_000_000L);
                    case "ps":
                        return Command.run(argv, UTF8, Duration.ofSeconds(20), 32_000_000L);
                    default: // BSD netstat's format and launchctl have no Linux twin
                        throw new IOException("Cannot run program \"" + argv.get(0) + "\": error=2, No such file");
                }
            };
            MacSocketTable table =
                    new MacSocketTable(new MacTools(realLsofAndPs, ZoneId.systemDefault()), Needs.isRoot());

            Discovery d = table.read(Query.ports(new PortRange(port, port), Transport.TCP));

            assertThat(ran)
                    .first()
                    .isEqualTo(MacSocketTable.lsof(Query.ports(new PortRange(port, port), Transport.TCP)));
            assertThat(d.listeners()).hasSize(1);
            Listener l = d.listeners().get(0);
            assertThat(l.local().address()).isEqualTo("::1");
            assertThat(l.local().scope()).isEqualTo(BindScope.LOOPBACK);
            assertThat(l.owners()).hasSize(1).first().isInstanceOf(Owner.Known.class);
            Owner.Known k = (Owner.Known) l.owners().get(0);
            ProcessInfo p = k.process();
            assertThat(p.pid()).isEqualTo(server.pid());
            assertThat(k.fd()).isPositive();
            assertThat(p.commandLine()).contains("Zürich", "srv");
            assertThat(p.ancestry())
                    .isNotEmpty()
                    .first()
                    .satisfies(a -> assertThat(a.pid())
                            .isEqualTo(ProcessHandle.current().pid()));
            Optional<java.time.Instant> started = server.info().startInstant();
            assertThat(started).isPresent();
            // ps -o lstart is to the second: the reader's time is the start's second
            assertThat(p.startTime()).isNotNull();
            assertThat(Duration.between(p.startTime(), started.get()).abs()).isLessThan(Duration.ofMillis(1100));
            assertThat(org.portlens.free.Signaller.sameStart(p.startTime(), started.get()))
                    .isTrue();
            assertThat(d.coverage().notes()).anyMatch(n -> n.startsWith("netstat: not found"));
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }
}
