package org.portlens.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portlens.model.BindScope;
import org.portlens.model.Container;
import org.portlens.model.ContainerRuntime;
import org.portlens.model.Coverage;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
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

    private static final String ID = "3f2a9c1d5e6b" + "0123456789abcdef".repeat(3) + "0123";

    private static Listener heldBy(int port, @org.jspecify.annotations.Nullable Container c) {
        ProcessInfo p = new ProcessInfo(
                100 + port,
                1,
                "node",
                "/usr/bin/node",
                List.of("node", "server.js"),
                0,
                "root",
                null,
                "/app",
                List.of(),
                new Source(Source.Kind.CONTAINER, "docker:" + ID, "docker container"),
                "",
                List.of(),
                c);
        return listener(port, BindScope.ALL, "0.0.0.0", new Owner.Known(p, 5));
    }

    @Test
    void keepsTheSocketsOfAContainerByNameByPodOrByTheStartOfItsId() {
        Container web = new Container(
                ContainerRuntime.DOCKER, ID, "web-1", "nginx:1.27", "", null, List.of(), List.of(), List.of());
        Container api = new Container(
                ContainerRuntime.CONTAINERD,
                "9" + ID.substring(1),
                "",
                "api:2",
                "",
                new Container.Kubernetes("api-7d9f", "shop", "api", "0f1e"),
                List.of(),
                List.of(),
                List.of());
        List<Listener> all = List.of(heldBy(8080, web), heldBy(9090, api), heldBy(7070, null));
        java.util.function.Function<String, List<Integer>> ports =
                name -> ListenerFilter.all().withContainer(name).select(all, ListenerFilter.Order.PORT).stream()
                        .map(l -> l.local().port())
                        .toList();
        assertThat(ports.apply("web-1")).containsExactly(8080);
        assertThat(ports.apply("3f2a")).containsExactly(8080);
        assertThat(ports.apply("3f2")).as("an id needs 4 characters").isEmpty();
        assertThat(ports.apply("api-7d9f")).containsExactly(9090);
        assertThat(ports.apply("shop/api-7d9f")).containsExactly(9090);
        assertThat(ports.apply("shop/api-7d9f/api")).containsExactly(9090);
        assertThat(ports.apply("web")).as("names are compared whole").isEmpty();
        assertThat(heldBy(9090, api).processes().get(0).containerName()).isEqualTo("shop/api-7d9f/api");
        assertThat(heldBy(7070, null).processes().get(0).containerName()).isEmpty();
    }

    @Test
    void keepsTheSocketsOfANamespaceByNameByInodeOrHost() {
        NetNamespace blue = new NetNamespace(4026532345L, "blue", false);
        Listener here = listener(22, BindScope.ALL, "0.0.0.0", new Owner.Hidden("x"));
        Listener there = new Listener(
                Transport.TCP,
                new Endpoint("0.0.0.0", 80, false, BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.LISTEN,
                0,
                "root",
                80,
                blue,
                List.of(new Owner.Hidden("user root: run as root")));
        List<Listener> all = List.of(here, there);
        java.util.function.Function<String, List<Integer>> ports =
                ns -> ListenerFilter.all().withNamespace(ns).select(all, ListenerFilter.Order.PORT).stream()
                        .map(l -> l.local().port())
                        .toList();
        assertThat(ports.apply("blue")).containsExactly(80);
        assertThat(ports.apply("4026532345")).containsExactly(80);
        assertThat(ports.apply("net:[4026532345]")).containsExactly(80);
        assertThat(ports.apply("host")).containsExactly(22);
        assertThat(ports.apply("4026531840"))
                .as("this host's namespace by its inode")
                .containsExactly(22);
        assertThat(ports.apply("blu")).as("names are compared whole").isEmpty();
        assertThat(ports.apply("")).isEmpty();
        // the hidden owner of a socket in another namespace does not make the answer partial
        Discovery d = new Discovery(all, 0, 0, new Coverage(false, 2, 0, 0, 2, 0, 0, List.of()));
        assertThat(ListenerFilter.all().withNamespace("blue").coverageOf(d).ownersHidden())
                .isEqualTo(1);
    }
}
