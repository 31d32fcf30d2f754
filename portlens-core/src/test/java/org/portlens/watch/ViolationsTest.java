package org.portlens.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portlens.testkit.Fixtures.SHELL;
import static org.portlens.testkit.Fixtures.SSH_UNIT;
import static org.portlens.testkit.Fixtures.owner;
import static org.portlens.testkit.Fixtures.process;
import static org.portlens.testkit.Fixtures.table;
import static org.portlens.testkit.Fixtures.tcp;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.discovery.Discovery;
import org.portlens.model.BindScope;
import org.portlens.model.ProcessInfo;
import org.portlens.policy.Audit;
import org.portlens.policy.Baseline;
import org.portlens.policy.Policy;
import org.portlens.policy.PolicyFinding;

/** New findings per audit: each reported when it appears, not while it lasts. */
class ViolationsTest {

    final ProcessInfo sshd = process(812, "/usr/sbin/sshd", "root", SSH_UNIT);
    final ProcessInfo python = process(13789, "/usr/bin/python3.11", "root", SHELL);

    @Test
    void aFindingIsReportedOnceWhileItLastsAndAgainWhenItComesBack() {
        Discovery clean = table(tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)));
        Policy policy = Baseline.of(clean);
        Discovery stray = table(
                tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)),
                tcp("0.0.0.0", 3640, BindScope.ALL, false, owner(python)));
        Violations v = new Violations();

        assertThat(v.next(Audit.of(policy, clean))).isEmpty();
        List<PolicyFinding> first = v.next(Audit.of(policy, stray));
        assertThat(first).hasSize(1);
        assertThat(first.get(0)).isInstanceOf(PolicyFinding.Unexpected.class);
        // the same stray with a new pid is the same finding
        ProcessInfo restarted = process(14000, "/usr/bin/python3.11", "root", SHELL);
        assertThat(v.next(Audit.of(
                        policy,
                        table(
                                tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)),
                                tcp("0.0.0.0", 3640, BindScope.ALL, false, owner(restarted))))))
                .isEmpty();
        assertThat(v.next(Audit.of(policy, clean))).isEmpty();
        assertThat(v.next(Audit.of(policy, stray))).hasSize(1);
    }

    @Test
    void anExpectedListenerThatClosesIsANewMissingFinding() {
        Discovery clean = table(tcp("0.0.0.0", 22, BindScope.ALL, false, owner(sshd)));
        Violations v = new Violations();
        Policy policy = Baseline.of(clean);
        assertThat(v.next(Audit.of(policy, clean))).isEmpty();
        List<PolicyFinding> gone = v.next(Audit.of(policy, table()));
        assertThat(gone).singleElement().isInstanceOf(PolicyFinding.Missing.class);
        assertThat(v.next(Audit.of(policy, table()))).isEmpty();
    }
}
