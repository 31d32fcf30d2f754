package org.portlens.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.BindScope;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.Transport;

class ListenerFilterTest {

    private static final NetNamespace NS = new NetNamespace(4026531840L, "", true);

    private static Listener listener(int port, BindScope scope, String address, Owner owner) {
        return new Listener(
                Transport.TCP,
                new Endpoint(address, port, false, scope, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                port,
                NS,
                List.of(owner));
    }

    /** One hidden socket on all interfaces, one whose owner exited on loopback. */
    private static final Discovery D = new Discovery(
            List.of(
                    listener(2024, BindScope.ALL, "0.0.0.0", new Owner.Hidden("user root: run as root")),
                    listener(3640, BindScope.LOOPBACK, "127.0.0.1", new Owner.Gone(4242))),
            0,
            0,
            new Coverage(false, 10, 1, 0, 1, 1, 0, List.of("a note")));

    @Test
    void withoutCriteriaTheCoverageIsTheDiscoverys() {
        assertThat(ListenerFilter.all().coverageOf(D)).isEqualTo(D.coverage());
    }

    @Test
    void aSocketOfAnotherScopeDoesNotMakeTheAnswerPartial() {
        Coverage loopback = ListenerFilter.all().withScope(BindScope.LOOPBACK).coverageOf(D);
        assertThat(loopback.ownersHidden()).isZero();
        assertThat(loopback.ownersGone()).isEqualTo(1);
        assertThat(loopback.notes()).containsExactly("a note");

        Coverage all = ListenerFilter.all().withScope(BindScope.ALL).coverageOf(D);
        assertThat(all.ownersHidden()).isEqualTo(1);
        assertThat(all.ownersGone()).isZero();
        assertThat(all.partial()).isTrue();

        assertThat(ListenerFilter.all()
                        .withScope(BindScope.ADDRESS)
                        .coverageOf(D)
                        .partial())
                .isFalse();
    }

    @Test
    void aHiddenOwnerMayBeThePidOrUserOrProcessAskedFor() {
        for (ListenerFilter f : List.of(
                ListenerFilter.all().withPid(1),
                ListenerFilter.all().withUser("alice"),
                ListenerFilter.all().withProcess("nginx"))) {
            Coverage c = f.coverageOf(D);
            assertThat(c.ownersHidden()).as(f.toString()).isEqualTo(1);
            assertThat(c.ownersGone()).as(f.toString()).isEqualTo(1);
        }
    }
}
