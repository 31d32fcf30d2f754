package org.portlens.store;

import java.time.Instant;
import java.util.List;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;
import org.portlens.model.Listener;
import org.portlens.model.ListenerState;
import org.portlens.model.NetNamespace;
import org.portlens.model.Owner;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;
import org.portlens.model.Transport;
import org.portlens.watch.WatchEvent;

/** Hand-written listeners and events for the store's tests. */
final class Events {

    static final Instant T0 = Instant.parse("2026-12-01T14:03:00Z");

    private Events() {}

    static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    static ProcessInfo process(int pid, String name, String exe) {
        return new ProcessInfo(
                pid,
                1,
                name,
                exe,
                List.of(exe, "-g", "daemon off;"),
                0,
                "root",
                T0.minusSeconds(3600 + pid),
                "/",
                List.of(),
                new Source(Source.Kind.SYSTEMD_UNIT, name + ".service", "systemd unit " + name + ".service"),
                "",
                List.of());
    }

    static Listener listener(int port, long inode, ProcessInfo owner) {
        return listener(Transport.TCP, "0.0.0.0", port, inode, List.of(new Owner.Known(owner, 3)));
    }

    static Listener listener(Transport t, String address, int port, long inode, List<Owner> owners) {
        return new Listener(
                t,
                new Endpoint(address, port, address.contains(":"), BindScope.ALL, Endpoint.DualStack.NOT_APPLICABLE),
                ListenerState.of(t),
                0,
                "root",
                inode,
                new NetNamespace(4026531840L, "", true),
                owners);
    }

    static WatchEvent opened(int minute, Listener l) {
        return new WatchEvent.Opened(at(minute), l);
    }

    static WatchEvent present(int minute, Listener l) {
        return new WatchEvent.Present(at(minute), l);
    }

    static WatchEvent closed(int minute, Listener l) {
        return new WatchEvent.Closed(at(minute), l);
    }

    static WatchEvent changed(int minute, Listener now, Listener before) {
        return new WatchEvent.OwnerChanged(at(minute), now, before);
    }
}
