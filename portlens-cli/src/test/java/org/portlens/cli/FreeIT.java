package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portlens.testkit.Needs;

/**
 * {@code portlens free} from the packaged jar, on servers this test starts on loopback: a plain
 * one, one that ignores TERM, and one whose supervisor starts it again. Only the test's own
 * processes are ever signalled: every port is one the test's child holds, found free just before.
 */
public class FreeIT {

    final List<Process> children = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    Process python(String... args) throws Exception {
        Needs.binary("python3", "python3", "/usr/bin/python3");
        List<String> cmd = new ArrayList<>(List.of("python3"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(p);
        return p;
    }

    Process httpServer(int port) throws Exception {
        return python("-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1");
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static LiveIT.Result free(int port, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("free", Integer.toString(port)));
        args.addAll(List.of(more));
        return LiveIT.portlens(args.toArray(new String[0]));
    }

    @Test
    void freesAPlainServerTheTestStarted() throws Exception {
        int port = LiveIT.freePort();
        Process server = httpServer(port);
        LiveIT.awaitListening(port);

        LiveIT.Result r = free(port, "--yes");

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("owner     python3 (pid " + server.pid())
                .contains("send TERM to pid " + server.pid())
                .contains("Port " + port + " is free.")
                .contains("pid " + server.pid() + " (python3, user ")
                .contains(" exited");
        assertThat(server.waitFor(5, TimeUnit.SECONDS)).as("the server is gone").isTrue();
        assertThat(listening(port)).isFalse();
    }

    @Test
    void aServerThatIgnoresTermGetsTheKillLineAndKillFreesIt() throws Exception {
        int port = LiveIT.freePort();
        Process server = python(
                "-c",
                "import signal, socket, time\n"
                        + "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                        + "s = socket.socket()\n"
                        + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                        + "s.bind(('127.0.0.1', " + port + "))\n"
                        + "s.listen()\n"
                        + "time.sleep(600)\n");
        LiveIT.awaitListening(port);

        LiveIT.Result term = free(port, "--yes", "--wait", "1");

        assertThat(term.code()).as(term.out() + term.err()).isEqualTo(1);
        assertThat(term.out())
                .contains("pid " + server.pid() + " (python3, user ")
                .contains("still holds port " + port + " 1 s after TERM")
                .contains("  portlens free " + port + " --yes --signal KILL");
        assertThat(term.err()).contains("ignored TERM");
        assertThat(server.isAlive()).isTrue();

        LiveIT.Result kill = free(port, "--yes", "--signal", "KILL");

        assertThat(kill.code()).as(kill.out() + kill.err()).isZero();
        assertThat(kill.out()).contains("send KILL to pid " + server.pid()).contains("is free.");
        assertThat(server.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(listening(port)).isFalse();
    }

    @Test
    void aSupervisorThatStartsItAgainIsNamedAsTheParentOfTheNewHolder() throws Exception {
        int port = LiveIT.freePort();
        Path supervisor = tmp.resolve("supervisor.py");
        Files.writeString(
                supervisor,
                "import subprocess, sys, time\n"
                        + "# like systemd's Restart=always with RestartSec=100ms: start the server again when it dies\n"
                        + "while True:\n"
                        + "    subprocess.call([sys.executable, '-m', 'http.server', sys.argv[1], '--bind', '127.0.0.1'],\n"
                        + "                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
                        + "    time.sleep(0.1)\n");
        Process parent = python(supervisor.toString(), Integer.toString(port));
        LiveIT.awaitListening(port);
        long first = parent.children().findFirst().orElseThrow().pid();

        LiveIT.Result r = free(port, "--yes", "--wait", "3");

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out())
                .contains("send TERM to pid " + first)
                .contains("is held again, by a new process")
                .contains("its parent: python3 (pid " + parent.pid() + ")")
                .contains("supervisor.py");
        assertThat(r.err()).contains("taken again").contains("its parent python3 (pid " + parent.pid() + ")");
        assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false))
                .as("the first server is gone")
                .isFalse();
        assertThat(listening(port)).as("the restarted server holds the port").isTrue();
    }

    @Test
    void withoutATerminalAndWithoutYesItRefusesAndSendsNothing() throws Exception {
        int port = LiveIT.freePort();
        Process server = httpServer(port);
        LiveIT.awaitListening(port);

        LiveIT.Result r = free(port);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("no terminal to ask on").contains("add --yes to send TERM to pid " + server.pid());
        assertThat(r.out()).contains("owner     python3 (pid " + server.pid());
        Thread.sleep(Duration.ofMillis(300).toMillis());
        assertThat(server.isAlive()).isTrue();
        assertThat(listening(port)).isTrue();
    }

    @Test
    void nothingListeningIsNothingToFree() throws Exception {
        int port = LiveIT.freePort();

        LiveIT.Result r = free(port, "--tcp", "--yes");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Nothing listens on port " + port + "/tcp: nothing to free.");
    }

    @Test
    void aSignalItDoesNotSendIsBadInput() throws Exception {
        LiveIT.Result r = LiveIT.portlens("free", "8080", "--signal", "HUP");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--signal must be TERM or KILL").contains("got HUP");
    }
}
