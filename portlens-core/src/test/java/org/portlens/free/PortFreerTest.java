package org.portlens.free;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.ProcessTable;
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

/** The decisions of {@code portlens free}, as pure functions over recorded values, and the order of look, check and signal over fake seams. */
class PortFreerTest {

    static final Query QUERY = Query.ports(PortRange.of(8080), Transport.TCP);
    static final Instant STARTED = Instant.parse("2026-12-01T10:00:00.120Z");
    static final long SELF = 4242;
    static final Source SHELL = new Source(Source.Kind.SHELL, "bash", "interactive shell bash on pts/0");

    static ProcessInfo process(int pid, int ppid, Instant started, Source source) {
        return new ProcessInfo(
                pid,
                ppid,
                "python3",
                "/usr/bin/python3.11",
                List.of("python3", "-m", "http.server", "8080"),
                1000,
                "app",
                started,
                "/srv",
                List.of(new ProcessRef(ppid, "bash", "-bash")),
                source,
                "pts/0",
                List.of());
    }

    static Listener listener(Owner... owners) {
        return new Listener(
                Transport.TCP,
                new Endpoint("127.0.0.1", 8080, false, BindScope.LOOPBACK, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                1000,
                "app",
                77,
                new NetNamespace(4026531840L, "", true),
                List.of(owners));
    }

    static Discovery found(boolean root, Listener... listeners) {
        return new Discovery(List.of(listeners), 0, 0, new Coverage(root, 10, 0, 0, 0, 0, 0, List.of()));
    }

    static Plan plan(Discovery d) {
        return PortFreer.plan(QUERY, d, SELF, pid -> List.of(new ProcessRef(pid + 1, "worker", "worker")));
    }

    @Test
    void nothingListeningIsNothingToFree() {
        assertThat(plan(found(true))).isInstanceOf(Plan.NothingListening.class);
    }

    @Test
    void showsTheHolderWithItsChildrenAndNoManagerForAShellProcess() {
        ProcessInfo p = process(1234, 1000, STARTED, SHELL);
        Plan.Ready ready = (Plan.Ready) plan(found(true, listener(new Owner.Known(p, 3))));
        assertThat(ready.targets()).hasSize(1);
        Target t = ready.targets().get(0);
        assertThat(t.process()).isEqualTo(p);
        assertThat(t.children()).extracting(ProcessRef::pid).containsExactly(1235);
        assertThat(t.manager()).isEmpty();
        assertThat(ready.managed()).isFalse();
    }

    @Test
    void refusesPidOne() {
        ProcessInfo init = process(1, 0, STARTED, new Source(Source.Kind.INIT, "systemd", "init (pid 1, systemd)"));
        Plan p = plan(found(true, listener(new Owner.Known(init, 40))));
        assertThat(p).isInstanceOf(Plan.Refused.class);
        assertThat(((Plan.Refused) p).why()).isEqualTo(Plan.Refusal.INIT);
    }

    @Test
    void refusesItsOwnProcess() {
        ProcessInfo self = process((int) SELF, 1000, STARTED, SHELL);
        Plan p = plan(found(true, listener(new Owner.Known(self, 9))));
        assertThat(((Plan.Refused) p).why()).isEqualTo(Plan.Refusal.SELF);
        assertThat(((Plan.Refused) p).process()).containsExactly(self);
    }

    @Test
    void refusesAKernelSocketWithNoOwnerProcess() {
        Plan p = plan(found(true, listener(new Owner.None("no process holds it: a kernel socket"))));
        assertThat(((Plan.Refused) p).why()).isEqualTo(Plan.Refusal.KERNEL);
        assertThat(((Plan.Refused) p).process()).isEmpty();
    }

    @Test
    void aHiddenOwnerIsUnseenAndSaysWhetherPortlensRanAsRoot() {
        Plan p = plan(found(false, listener(new Owner.Hidden("owned by a process of user postgres (uid 112)"))));
        Plan.Unseen u = (Plan.Unseen) p;
        assertThat(u.hidden()).isTrue();
        assertThat(u.asRoot()).isFalse();
        assertThat(u.reason()).contains("postgres");
    }

    @Test
    void signalsTheMasterOfPreForkWorkersNotEachWorker() {
        ProcessInfo master = process(500, 1, STARTED, SHELL);
        ProcessInfo worker = process(501, 500, STARTED, SHELL);
        Plan.Ready ready =
                (Plan.Ready) plan(found(true, listener(new Owner.Known(master, 6), new Owner.Known(worker, 6))));
        assertThat(ready.shown()).containsExactly(master, worker);
        assertThat(ready.targets()).extracting(t -> t.process().pid()).containsExactly(500);
    }

    @Test
    void aUnitNameFromACgroupIsQuotedForTheShell() {
        assertThat(PortFreer.shellWord("ssh.service")).isEqualTo("ssh.service");
        assertThat(PortFreer.shellWord("x;id;.service")).isEqualTo("'x;id;.service'");
        assertThat(PortFreer.shellWord("it's.service")).isEqualTo("'it'\\''s.service'");
        assertThat(PortFreer.manager(new Source(Source.Kind.USER_UNIT, "a b;id.service", "user unit"))
                        .flatMap(Manager::stopCommand))
                .contains("systemctl --user stop 'a b;id.service'");
    }

    @Test
    void aSystemdServiceIsStoppedWithSystemctlNotSignalled() {
        ProcessInfo p = process(
                700, 1, STARTED, new Source(Source.Kind.SYSTEMD_UNIT, "nginx.service", "systemd unit nginx.service"));
        Plan.Ready ready = (Plan.Ready) plan(found(true, listener(new Owner.Known(p, 6))));
        assertThat(ready.managed()).isTrue();
        assertThat(ready.targets().get(0).manager())
                .contains(new Manager(
                        Manager.Kind.SYSTEMD_UNIT, "nginx.service", Optional.of("systemctl stop nginx.service")));
    }

    @Test
    void namesTheManagerOfUnitsAndContainersButNotOfScopes() {
        assertThat(PortFreer.manager(new Source(Source.Kind.USER_UNIT, "app.service", "user unit")))
                .map(m -> m.stopCommand().orElseThrow())
                .contains("systemctl --user stop app.service");
        assertThat(PortFreer.manager(new Source(Source.Kind.CONTAINER, "docker:3f2a9c", "docker container 3f2a9c")))
                .map(m -> m.stopCommand().orElseThrow())
                .contains("docker stop 3f2a9c");
        assertThat(PortFreer.manager(new Source(Source.Kind.CONTAINER, "kubernetes:abc", "kubernetes pod")))
                .hasValueSatisfying(m -> assertThat(m.stopCommand()).isEmpty());
        assertThat(PortFreer.manager(new Source(Source.Kind.SYSTEMD_UNIT, "init.scope", "init.scope")))
                .isEmpty();
        assertThat(PortFreer.manager(new Source(Source.Kind.SESSION, "session-3.scope", "login session 3")))
                .isEmpty();
        assertThat(PortFreer.manager(SHELL)).isEmpty();
    }

    @Test
    void namesLaunchdJobsAndWindowsServicesAsManagersWithTheirStopCommands() {
        assertThat(PortFreer.manager(new Source(
                        Source.Kind.LAUNCHD_JOB,
                        "system/homebrew.mxcl.nginx",
                        "launchd job system/homebrew.mxcl.nginx")))
                .hasValueSatisfying(m -> {
                    assertThat(m.kind()).isEqualTo(Manager.Kind.LAUNCHD_JOB);
                    assertThat(m.stopCommand()).contains("sudo launchctl bootout system/homebrew.mxcl.nginx");
                });
        assertThat(PortFreer.manager(new Source(Source.Kind.LAUNCHD_JOB, "gui/501/com.example.agent", "launchd job")))
                .map(m -> m.stopCommand().orElseThrow())
                .contains("launchctl bootout gui/501/com.example.agent");
        // a label whose domain was not known: a manager, but no command that could name the wrong domain
        assertThat(PortFreer.manager(new Source(Source.Kind.LAUNCHD_JOB, "com.example.agent", "launchd job")))
                .hasValueSatisfying(m -> assertThat(m.stopCommand()).isEmpty());
        assertThat(PortFreer.manager(new Source(Source.Kind.WINDOWS_SERVICE, "RpcSs", "Windows service RpcSs")))
                .map(m -> m.stopCommand().orElseThrow())
                .contains("sc.exe stop \"RpcSs\"");
        // svchost running several services: no one of them is stopped for the port
        assertThat(PortFreer.manager(new Source(Source.Kind.WINDOWS_SERVICE, "RpcEptMapper,RpcSs", "Windows services")))
                .hasValueSatisfying(m -> assertThat(m.stopCommand()).isEmpty());
    }

    @Test
    void theSameProcessHasTheSamePidAndTheSameStartTime() {
        ProcessInfo shown = process(1234, 1000, STARTED, SHELL);
        assertThat(PortFreer.sameProcess(shown, process(1234, 1000, STARTED, SHELL)))
                .isTrue();
        assertThat(PortFreer.sameProcess(shown, process(1234, 1000, STARTED.plusMillis(10), SHELL)))
                .as("a reused pid: another process, started later")
                .isFalse();
        assertThat(PortFreer.sameProcess(shown, process(1235, 1000, STARTED, SHELL)))
                .isFalse();
        ProcessInfo unknownStart = process(1234, 1000, null, SHELL);
        assertThat(PortFreer.sameProcess(unknownStart, unknownStart))
                .as("an unknown start time can never be told from a reused pid")
                .isFalse();
    }

    @Test
    void afterTheSignalAnEmptyPortIsFreed() {
        ProcessInfo p = process(1234, 1000, STARTED, SHELL);
        assertThat(PortFreer.after(List.of(p), Signal.TERM, found(true))).isInstanceOf(Outcome.Freed.class);
    }

    @Test
    void afterTheSignalTheSameProcessStillHoldingItIgnoredTheSignal() {
        ProcessInfo p = process(1234, 1000, STARTED, SHELL);
        Outcome o = PortFreer.after(List.of(p), Signal.TERM, found(true, listener(new Owner.Known(p, 3))));
        assertThat(o).isEqualTo(new Outcome.StillHeld(List.of(p), Signal.TERM));
    }

    @Test
    void afterTheSignalANewProcessHoldingItTookItOverEvenUnderTheSamePid() {
        ProcessInfo p = process(1234, 1000, STARTED, SHELL);
        ProcessInfo restarted = process(1300, 1000, STARTED.plusSeconds(1), SHELL);
        ProcessInfo reused = process(1234, 1000, STARTED.plusSeconds(2), SHELL);
        assertThat(PortFreer.after(List.of(p), Signal.TERM, found(true, listener(new Owner.Known(restarted, 3)))))
                .isEqualTo(new Outcome.TakenOver(List.of(restarted)));
        assertThat(PortFreer.after(List.of(p), Signal.TERM, found(true, listener(new Owner.Known(reused, 3)))))
                .isEqualTo(new Outcome.TakenOver(List.of(reused)));
    }

    @Test
    void afterTheSignalAnOwnerItCannotSeeIsSaid() {
        ProcessInfo p = process(1234, 1000, STARTED, SHELL);
        Outcome o = PortFreer.after(List.of(p), Signal.TERM, found(false, listener(new Owner.Hidden("user bob"))));
        assertThat(o).isEqualTo(new Outcome.HeldUnseen("user bob"));
    }

    /** The seams, faked: the socket table answers from a queue (the last answer repeats). */
    static final class Fakes implements SocketTable, ProcessTable, Signaller {
        final Deque<Discovery> reads = new ConcurrentLinkedDeque<>();
        Optional<ProcessInfo> now = Optional.empty();
        final List<String> sent = new ArrayList<>();

        @Override
        public Discovery read(Query query) {
            return reads.size() > 1 ? reads.poll() : reads.peek();
        }

        @Override
        public Optional<ProcessInfo> process(int pid) {
            return now.filter(p -> p.pid() == pid);
        }

        @Override
        public List<ProcessRef> children(int pid) {
            return List.of();
        }

        @Override
        public Optional<String> send(ProcessInfo target, Signal signal) {
            sent.add(signal + " " + target.pid());
            now = Optional.empty();
            return Optional.empty();
        }

        PortFreer freer() {
            return new PortFreer(this, this, this, SELF, Duration.ZERO);
        }
    }

    @Test
    void aPidReusedBetweenTheLookAndTheSignalIsNeverSignalled() throws Exception {
        Fakes f = new Fakes();
        ProcessInfo shown = process(1234, 1000, STARTED, SHELL);
        f.reads.add(found(true, listener(new Owner.Known(shown, 3))));
        Plan.Ready ready = (Plan.Ready) f.freer().look(QUERY);
        // between the look and the signal, 1234 exits and the pid comes back as another process
        ProcessInfo other = process(1234, 1000, STARTED.plusSeconds(30), SHELL);
        f.now = Optional.of(other);

        Outcome o = f.freer().free(ready, Signal.TERM, Duration.ofSeconds(1));

        assertThat(o).isEqualTo(new Outcome.IdentityChanged(shown, Optional.of(other)));
        assertThat(f.sent).isEmpty();
    }

    @Test
    void aProcessThatExitedBeforeTheSignalIsNotSignalled() throws Exception {
        Fakes f = new Fakes();
        ProcessInfo shown = process(1234, 1000, STARTED, SHELL);
        f.reads.add(found(true, listener(new Owner.Known(shown, 3))));
        Plan.Ready ready = (Plan.Ready) f.freer().look(QUERY);
        f.now = Optional.empty();

        assertThat(f.freer().free(ready, Signal.TERM, Duration.ofSeconds(1)))
                .isEqualTo(new Outcome.IdentityChanged(shown, Optional.empty()));
        assertThat(f.sent).isEmpty();
    }

    @Test
    void signalsTheProcessShownAndConfirmsThePortIsFree() throws Exception {
        Fakes f = new Fakes();
        ProcessInfo shown = process(1234, 1000, STARTED, SHELL);
        f.reads.add(found(true, listener(new Owner.Known(shown, 3))));
        Plan.Ready ready = (Plan.Ready) f.freer().look(QUERY);
        f.now = Optional.of(shown);
        f.reads.clear();
        f.reads.add(found(true, listener(new Owner.Known(shown, 3))));
        f.reads.add(found(true));

        assertThat(f.freer().free(ready, Signal.TERM, Duration.ofSeconds(5))).isEqualTo(new Outcome.Freed(List.of()));
        assertThat(f.sent).containsExactly("TERM 1234");
    }
}
