package org.portlens.findings;

import java.util.List;
import java.util.Locale;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Forward;
import org.portlens.model.PortRange;
import org.portlens.model.RuleForward;
import org.portlens.model.Transport;
import org.portlens.probe.Wire;

/**
 * One fact about a port that a person should know, with its evidence as fields. Findings come
 * most important first in an {@link org.portlens.Explanation}; {@link Sentences} words them.
 * Every finding is an immutable record.
 */
public sealed interface Finding {

    /**
     * A stable, lower-case identifier of the kind of finding ({@code label-mismatch}), for JSON and rules.
     *
     * @return the identifier, words joined by dashes; the same for every finding of a record type, except
     *         {@link WireSeen}, whose kind is {@code wire-} and its verdict's label
     */
    String kind();

    /**
     * Listeners were not looked for.
     *
     * @param reason why ("discovery covers tcp and udp; sctp is shown from the registry only"),
     *               or empty when the caller chose the registry alone
     */
    record NotChecked(String reason) implements Finding {
        @Override
        public String kind() {
            return "not-checked";
        }
    }

    /**
     * IANA has no record for the transport asked about, but assigns the ports for others: "no SCTP
     * record for 3640 (IANA assigns it for tcp, udp)", not "unassigned".
     *
     * @param ports       the port or range asked about
     * @param transport   the transport asked about, which has no record with a service name there
     * @param assignedFor the transports IANA has a named record for on these ports, in the registry's
     *                    order (tcp, udp, sctp, dccp); never empty
     */
    record NoRecordForTransport(PortRange ports, Transport transport, List<Transport> assignedFor) implements Finding {
        /**
         * Checks and copies the transports.
         *
         * @param ports       the port or range asked about
         * @param transport   the transport asked about
         * @param assignedFor the transports IANA has a named record for on these ports; copied
         * @throws IllegalArgumentException when {@code assignedFor} is empty or holds {@code transport}
         */
        public NoRecordForTransport {
            assignedFor = List.copyOf(assignedFor);
            if (assignedFor.isEmpty() || assignedFor.contains(transport)) {
                throw new IllegalArgumentException(
                        "assignedFor must name other transports than " + transport.label() + ", got " + assignedFor);
            }
        }

        @Override
        public String kind() {
            return "no-record-for-transport";
        }
    }

    /**
     * No socket listens on the ports.
     *
     * @param ports the ports asked about
     */
    record NothingListening(PortRange ports) implements Finding {
        @Override
        public String kind() {
            return "nothing-listening";
        }
    }

    /**
     * IANA registered the port, with no reference and no software known to use it.
     *
     * @param labels the registry's names for the port
     */
    record RegisteredUnused(List<String> labels) implements Finding {
        /**
         * Copies the labels.
         *
         * @param labels the registry's names for the port; copied
         */
        public RegisteredUnused {
            labels = List.copyOf(labels);
        }

        @Override
        public String kind() {
            return "registered-unused";
        }
    }

    /**
     * Nothing listens, but established TCP connections use the port locally.
     *
     * @param connections how many
     */
    record EstablishedOnly(int connections) implements Finding {
        @Override
        public String kind() {
            return "established-only";
        }
    }

    /**
     * The holder is named like the service IANA registered for the port.
     *
     * @param holder      who holds it
     * @param serviceName the registered name it matches
     */
    record RegisteredService(Holder holder, String serviceName) implements Finding {
        @Override
        public String kind() {
            return "registered-service";
        }
    }

    /**
     * IANA's label does not name the holder, but a known use of the port does: the holder is that
     * use's software by a mark of its identity (its executable, package, unit, or what it runs in an
     * interpreter), never by a word of its name.
     *
     * @param holder    who holds it
     * @param labels    the registry's names for the port
     * @param software  the known use's software
     * @param matchedBy the mark the holder carries, for a person ({@code executable etcd})
     */
    record KnownUseMatch(Holder holder, List<String> labels, String software, String matchedBy) implements Finding {
        /**
         * Copies the labels.
         *
         * @param holder    who holds it
         * @param labels    the registry's names for the port; copied
         * @param software  the known use's software
         * @param matchedBy the mark the holder carries, for a person
         */
        public KnownUseMatch {
            labels = List.copyOf(labels);
        }

        @Override
        public String kind() {
            return "known-use";
        }
    }

    /**
     * IANA has no service name for the port; only the holder explains the listener.
     *
     * @param holder    who holds it
     * @param knownUses the software of the port's known uses, which the holder is not; empty when the
     *                  port has none
     */
    record NoRegisteredName(Holder holder, List<String> knownUses) implements Finding {
        /**
         * Copies the known uses.
         *
         * @param holder    who holds it
         * @param knownUses the software of the port's known uses, which the holder is not; copied
         */
        public NoRegisteredName {
            knownUses = List.copyOf(knownUses);
        }

        /**
         * On a port with no known use.
         *
         * @param holder who holds it
         */
        public NoRegisteredName(Holder holder) {
            this(holder, List.of());
        }

        @Override
        public String kind() {
            return "no-registered-name";
        }
    }

    /**
     * IANA's label does not explain the holder, and no known use does either.
     *
     * @param holder    who holds it
     * @param labels    the registry's names for the port
     * @param knownUses the software of the port's known uses, which the holder is not; empty when the
     *                  port has none
     */
    record LabelMismatch(Holder holder, List<String> labels, List<String> knownUses) implements Finding {
        /**
         * Copies the labels and the known uses.
         *
         * @param holder    who holds it
         * @param labels    the registry's names for the port; copied
         * @param knownUses the software of the port's known uses, which the holder is not; copied
         */
        public LabelMismatch {
            labels = List.copyOf(labels);
            knownUses = List.copyOf(knownUses);
        }

        /**
         * On a port with no known use.
         *
         * @param holder who holds it
         * @param labels the registry's names for the port; copied
         */
        public LabelMismatch(Holder holder, List<String> labels) {
            this(holder, labels, List.of());
        }

        @Override
        public String kind() {
            return "label-mismatch";
        }
    }

    /**
     * Something listens, but its owner could not be shown.
     *
     * @param transport tcp or udp
     * @param port      the port
     * @param exposure  who can reach it
     * @param reason    why the owner is not shown, and what would help
     */
    record HiddenOwner(Transport transport, int port, Exposure exposure, String reason) implements Finding {
        @Override
        public String kind() {
            return "hidden-owner";
        }
    }

    /**
     * A port forwarded by a NAT rule of the kernel to a server elsewhere (a container, a Kubernetes
     * endpoint): said instead of "nothing listens" when no process holds the port, and beside its holder
     * when one does (packets from the network meet the rule before the local socket).
     *
     * @param forward  the rule's forward, with the listeners found serving its target
     * @param exposure who can send packets the rule forwards: its scope, what it matches (as the address),
     *                 and the namespace the rule is in
     */
    record ForwardedByRule(RuleForward forward, Exposure exposure) implements Finding {
        @Override
        public String kind() {
            return "forwarded-by-rule";
        }
    }

    /**
     * A listener held by a forwarding process (docker-proxy, pasta) that publishes a server listening in
     * another network namespace: the server is as reachable as the forwarder's socket, whatever the
     * server's own bind says.
     *
     * @param transport tcp or udp
     * @param port      the published port
     * @param forward   the forwarder, its target, and the listeners found serving it
     * @param exposure  who can reach the published socket
     */
    record Published(Transport transport, int port, Forward forward, Exposure exposure) implements Finding {
        @Override
        public String kind() {
            return "published";
        }
    }

    /**
     * What a listener speaks, compared with IANA's label for its port.
     *
     * @param transport tcp or udp
     * @param port      the port
     * @param wire      what the probe saw
     * @param verdict   how the wire compares with the label
     * @param names     IANA's service names for the port and transport (lower case)
     */
    record WireSeen(Transport transport, int port, Wire wire, WireVerdict verdict, List<String> names)
            implements Finding {
        /**
         * Copies the names.
         *
         * @param transport tcp or udp
         * @param port      the port
         * @param wire      what the probe saw
         * @param verdict   how the wire compares with the label
         * @param names     IANA's service names for the port and transport (lower case); copied
         */
        public WireSeen {
            names = List.copyOf(names);
        }

        @Override
        public String kind() {
            return "wire-" + verdict.label();
        }
    }

    /** How what a port speaks compares with its registered name. */
    enum WireVerdict {
        /** Nothing could be exchanged. */
        SILENT,
        /** Bytes came back that match no known protocol. */
        UNKNOWN,
        /** A protocol was identified; IANA has no name for the port. */
        UNNAMED,
        /** A protocol was identified and IANA's name suggests it. */
        MATCHES_LABEL,
        /** A protocol was identified that IANA's name does not describe. */
        DISAGREES;

        /**
         * {@code silent}, {@code unknown}, {@code unnamed}, {@code matches-label} or {@code disagrees}.
         *
         * @return the name in lower case with dashes
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The port lies in this host's ephemeral range, where the kernel picks ports for outgoing
     * connections: a fixed service there can clash with them.
     *
     * @param range this host's ephemeral range
     */
    record InEphemeralRange(EphemeralRange range) implements Finding {
        @Override
        public String kind() {
            return "ephemeral-range";
        }
    }

    /**
     * Part of the answer is missing: some sockets' owners could not be read, or exited before they
     * could be.
     *
     * @param ownersHidden how many sockets have an owner portlens may not read
     * @param ownersGone   how many owners exited between the socket table and their details
     * @param privileged   whether portlens ran as root (so running as root would not help)
     */
    record PartialAnswer(int ownersHidden, int ownersGone, boolean privileged) implements Finding {
        @Override
        public String kind() {
            return "partial-answer";
        }
    }
}
