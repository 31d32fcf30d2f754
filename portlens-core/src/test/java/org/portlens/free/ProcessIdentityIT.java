package org.portlens.free;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.discovery.ProcessTable;
import org.portlens.discovery.Query;
import org.portlens.model.Coverage;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Transport;

/**
 * The real seams on the test's own children ({@code sleep}): a process re-read by the real
 * {@link ProcessTable} is the same process, one shown with another start time (a reused pid) is
 * never signalled by the real {@link Signaller}, and the real one is.
 */
class ProcessIdentityIT {

    final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    Process sleeper() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        children.add(p);
        return p;
    }

    static Plan.Ready planFor(ProcessInfo p) {
        Query q = Query.ports(PortRange.of(9), Transport.TCP);
        return new Plan.Ready(q, List.of(), List.of(p), List.of(new Target(p, List.of(), Optional.empty())));
    }

    static PortFreer freer() {
        // the port reads as free at once: this test is about whom the signal reaches
        return new PortFreer(
                q -> new Discovery(List.of(), 0, 0, new Coverage(false, 0, 0, 0, 0, 0, 0, List.of())),
                ProcessTable.system(),
                Signaller.system(),
                ProcessHandle.current().pid(),
                Duration.ZERO);
    }

    @Test
    void aChildReadTwiceIsTheSameProcess() throws Exception {
        Process child = sleeper();
        ProcessInfo a = ProcessTable.system().process((int) child.pid()).orElseThrow();
        ProcessInfo b = ProcessTable.system().process((int) child.pid()).orElseThrow();
        assertThat(a.startTime()).isNotNull();
        assertThat(PortFreer.sameProcess(a, b)).isTrue();
        assertThat(ProcessTable.system().children((int) ProcessHandle.current().pid()))
                .anySatisfy(r -> assertThat(r.pid()).isEqualTo(child.pid()));
    }

    @Test
    void aChildShownWithAnotherStartTimeIsNotSignalled() throws Exception {
        Process child = sleeper();
        ProcessInfo real = ProcessTable.system().process((int) child.pid()).orElseThrow();
        ProcessInfo asIfReused = startedAt(real, real.startTime().minusSeconds(3));

        Outcome o = freer().free(planFor(asIfReused), Signal.KILL, Duration.ofSeconds(1));

        assertThat(o).isInstanceOf(Outcome.IdentityChanged.class);
        assertThat(((Outcome.IdentityChanged) o).now()).contains(real);
        assertThat(child.waitFor(300, TimeUnit.MILLISECONDS))
                .as("the child still runs")
                .isFalse();
    }

    @Test
    void theRealSignallerChecksTheHandleItGotAgainstTheProcessShown() throws Exception {
        // the freer re-checks just before; the signaller checks again on the handle it signals,
        // so a pid reused between the two is not signalled either
        Process child = sleeper();
        ProcessInfo real = ProcessTable.system().process((int) child.pid()).orElseThrow();
        ProcessInfo older = startedAt(real, real.startTime().minusSeconds(30));

        assertThat(Signaller.system().send(older, Signal.KILL))
                .hasValueSatisfying(why -> assertThat(why).contains("is now another process"));
        assertThat(child.waitFor(300, TimeUnit.MILLISECONDS))
                .as("the child still runs")
                .isFalse();
        assertThat(Signaller.system().send(real, Signal.KILL)).isEmpty();
        assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theChildShownIsSignalledAndThenCountsAsGone() throws Exception {
        Process child = sleeper();
        ProcessInfo real = ProcessTable.system().process((int) child.pid()).orElseThrow();

        Outcome o = freer().free(planFor(real), Signal.TERM, Duration.ofSeconds(1));

        assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(o).isInstanceOf(Outcome.Freed.class);
        // once exited (a zombie until this test reaps it, then nothing) the pid no longer names the child
        assertThat(ProcessTable.system().process(real.pid()).filter(p -> PortFreer.sameProcess(real, p)))
                .isEmpty();
    }

    /** The same process as if it had started at {@code start}: what a reused pid looks like. */
    static ProcessInfo startedAt(ProcessInfo p, java.time.Instant start) {
        return new ProcessInfo(
                p.pid(),
                p.ppid(),
                p.name(),
                p.executable(),
                p.commandLine(),
                p.uid(),
                p.user(),
                start,
                p.workingDirectory(),
                p.ancestry(),
                p.source(),
                p.tty(),
                p.unreadable());
    }
}
