package org.portlens.discovery.linux.forward;

import java.util.List;
import java.util.Objects;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;

/**
 * A process that forwards ports it listens on to somewhere else, as its command line says:
 * docker-proxy, Podman's rootlessport, slirp4netns, pasta or passt. What the command line does not
 * say (rootlessport's and slirp4netns's forwards are handed over at run time) is in {@link #notes()}.
 *
 * <p>Immutable; safe from any thread.
 *
 * @param program   which forwarder it is
 * @param forwards  the forwards its command line names
 * @param automatic the transports it forwards "automatically" (pasta's {@code -t auto}: every port
 *                  bound in the namespace, as it appears)
 * @param apiSocket the control socket through which forwards are added at run time (slirp4netns's
 *                  {@code --api-socket}); empty when none
 * @param notes     what the command line leaves unsaid, or did not make sense, one line each
 */
public record Forwarder(
        Program program, List<PortForward> forwards, List<Transport> automatic, String apiSocket, List<String> notes) {

    /** The forwarding programs recognised. */
    public enum Program {
        /** Docker's userland proxy: one process per published port. */
        DOCKER_PROXY,
        /** Podman's rootless port forwarder (rootful Podman uses NAT rules instead). */
        ROOTLESSPORT,
        /** slirp4netns, the user-mode network of rootless Podman before 5.0 and of rootless Docker. */
        SLIRP4NETNS,
        /** pasta, the user-mode network of rootless Podman 5. */
        PASTA,
        /** passt, pasta's sibling for virtual machines. */
        PASST
    }

    /**
     * One forward: connections to {@code listenAddress:listenPorts} go to {@code
     * targetAddress:targetPorts}. Immutable; safe from any thread.
     *
     * @param transport     TCP or UDP (or SCTP for docker-proxy)
     * @param listenAddress the address it listens on; empty for every address
     * @param listenPorts   the ports it listens on
     * @param targetAddress where it forwards to; empty for the namespace it serves (pasta, passt)
     * @param targetPorts   the ports it forwards to, in the same order
     */
    public record PortForward(
            Transport transport,
            String listenAddress,
            PortRange listenPorts,
            String targetAddress,
            PortRange targetPorts) {
        /** Checks that nothing is null. */
        public PortForward {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(listenAddress, "listenAddress");
            Objects.requireNonNull(listenPorts, "listenPorts");
            Objects.requireNonNull(targetAddress, "targetAddress");
            Objects.requireNonNull(targetPorts, "targetPorts");
        }
    }

    /** Copies the lists; checks that nothing is null. */
    public Forwarder {
        Objects.requireNonNull(program, "program");
        forwards = List.copyOf(forwards);
        automatic = List.copyOf(automatic);
        Objects.requireNonNull(apiSocket, "apiSocket");
        notes = List.copyOf(notes);
    }
}
