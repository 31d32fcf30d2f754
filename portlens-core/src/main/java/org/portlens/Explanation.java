package org.portlens;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.portlens.discovery.Discovery;
import org.portlens.findings.Finding;
import org.portlens.model.EphemeralRange;
import org.portlens.model.Forward;
import org.portlens.model.Listener;
import org.portlens.model.PortRange;
import org.portlens.model.ProcessInfo;
import org.portlens.model.RuleForward;
import org.portlens.model.Transport;
import org.portlens.packages.PackageOrigin;
import org.portlens.probe.Wire;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.PortStatus;
import org.portlens.registry.RangeClass;

/**
 * Everything portlens says about a port (or range): the registry's facts, the known uses, who is
 * listening and what each listener speaks, typed findings, and how to check by hand. One
 * immutable value that every front end renders; safe to share between threads.
 *
 * @param ports         the port or range asked about
 * @param transport     the transport asked about; empty for all
 * @param records       IANA's records for it
 * @param rangeClass    system, user or dynamic (of the first port)
 * @param ephemeral     this host's ephemeral range; empty when unknown or not looked up
 * @param status        assigned, registered-unused, reserved or unassigned (of the first port)
 * @param knownUses     de-facto uses, not IANA's
 * @param discovery     who is listening, with what could not be seen; empty when discovery did not run
 * @param discoveryNote why discovery did not run (no socket table, or a question about sctp or dccp), or empty
 * @param listeners     every listener of {@code discovery}, in its order, each with what it speaks
 * @param findings      what a person should know, most important first
 * @param checks        commands to check by hand on each OS
 * @param ruleForwards  the NAT rules that forward the ports (Docker's, kube-proxy's), each followed to its
 *                      server and probed where it leads when that can be reached from here
 * @param ruleNotes     what could not be read of the NAT rules ("needs root"), one line each
 */
public record Explanation(
        PortRange ports,
        Optional<Transport> transport,
        List<IanaRecord> records,
        RangeClass rangeClass,
        Optional<EphemeralRange> ephemeral,
        PortStatus status,
        List<KnownUse> knownUses,
        Optional<Discovery> discovery,
        String discoveryNote,
        List<ExplainedListener> listeners,
        List<Finding> findings,
        List<ManualCheck> checks,
        List<ExplainedRule> ruleForwards,
        List<String> ruleNotes) {

    /**
     * Copies the lists.
     *
     * @param ports         the port or range asked about
     * @param transport     the transport asked about; empty for all
     * @param records       IANA's records for it; copied
     * @param rangeClass    system, user or dynamic (of the first port)
     * @param ephemeral     this host's ephemeral range; empty when unknown or not looked up
     * @param status        assigned, registered-unused, reserved or unassigned (of the first port)
     * @param knownUses     de-facto uses, not IANA's; copied
     * @param discovery     who is listening; empty when discovery did not run
     * @param discoveryNote why discovery did not run, or empty
     * @param listeners     every listener of {@code discovery}, each with what it speaks; copied
     * @param findings      what a person should know, most important first; copied
     * @param checks        commands to check by hand on each OS; copied
     * @param ruleForwards  the NAT rules that forward the ports, followed; copied
     * @param ruleNotes     what could not be read of the NAT rules; copied
     */
    public Explanation {
        records = List.copyOf(records);
        knownUses = List.copyOf(knownUses);
        listeners = List.copyOf(listeners);
        findings = List.copyOf(findings);
        checks = List.copyOf(checks);
        ruleForwards = List.copyOf(ruleForwards);
        ruleNotes = List.copyOf(ruleNotes);
    }

    /**
     * An explanation without NAT rules read.
     *
     * @param ports         the port or range asked about
     * @param transport     the transport asked about; empty for all
     * @param records       IANA's records for it; copied
     * @param rangeClass    system, user or dynamic (of the first port)
     * @param ephemeral     this host's ephemeral range; empty when unknown or not looked up
     * @param status        assigned, registered-unused, reserved or unassigned (of the first port)
     * @param knownUses     de-facto uses, not IANA's; copied
     * @param discovery     who is listening; empty when discovery did not run
     * @param discoveryNote why discovery did not run, or empty
     * @param listeners     every listener of {@code discovery}, each with what it speaks; copied
     * @param findings      what a person should know, most important first; copied
     * @param checks        commands to check by hand on each OS; copied
     */
    public Explanation(
            PortRange ports,
            Optional<Transport> transport,
            List<IanaRecord> records,
            RangeClass rangeClass,
            Optional<EphemeralRange> ephemeral,
            PortStatus status,
            List<KnownUse> knownUses,
            Optional<Discovery> discovery,
            String discoveryNote,
            List<ExplainedListener> listeners,
            List<Finding> findings,
            List<ManualCheck> checks) {
        this(
                ports,
                transport,
                records,
                rangeClass,
                ephemeral,
                status,
                knownUses,
                discovery,
                discoveryNote,
                listeners,
                findings,
                checks,
                List.of(),
                List.of());
    }

    /**
     * A port forwarded by a NAT rule, and what its target speaks. Immutable; safe to share between threads.
     *
     * @param rule      the rule's forward, with the listeners serving its target
     * @param wire      what the target speaks; empty when it was not probed
     * @param probedAt  the address probed ({@code 172.17.0.2:80}: the target itself), or empty
     * @param notProbed why it was not probed although probing was asked for, or empty
     */
    public record ExplainedRule(RuleForward rule, Optional<Wire> wire, String probedAt, String notProbed) {
        /**
         * Checks that nothing is null.
         *
         * @param rule      the rule's forward
         * @param wire      what the target speaks, or empty
         * @param probedAt  the address probed, or empty
         * @param notProbed why it was not probed, or empty
         */
        public ExplainedRule {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(wire, "wire");
            Objects.requireNonNull(probedAt, "probedAt");
            Objects.requireNonNull(notProbed, "notProbed");
        }
    }

    /**
     * Whether the ports overlap this host's ephemeral range.
     *
     * @return false also when the ephemeral range is not known
     */
    public boolean inEphemeralRange() {
        return ephemeral.isPresent() && ephemeral.get().range().overlaps(ports);
    }

    /**
     * A listener, what it was seen to speak, and the installed package of each owner's executable.
     *
     * @param listener the socket and its owners
     * @param wire     what it speaks; empty when it was not probed
     * @param probedAt the address probed (loopback for a wildcard listener), or empty when not probed
     * @param notProbed why it was not probed although probing was asked for ("inside another network
     *                  namespace"), or empty
     * @param packages  by pid, for each process of {@link Listener#processes()}: where its executable came
     *                  from; empty when packages were not looked up
     */
    public record ExplainedListener(
            Listener listener,
            Optional<Wire> wire,
            String probedAt,
            String notProbed,
            Map<Integer, PackageOrigin> packages,
            Optional<Forward> forward) {

        /**
         * Copies the packages.
         *
         * @param listener  the socket and its owners
         * @param wire      what it speaks; empty when it was not probed
         * @param probedAt  the address probed, or empty when not probed
         * @param notProbed why it was not probed although probing was asked for, or empty
         * @param packages  by pid, where each owner's executable came from; copied
         * @param forward   where a forwarding owner sends it, and who serves it there; empty when no
         *                  owner forwards
         */
        public ExplainedListener {
            packages = Map.copyOf(packages);
            Objects.requireNonNull(forward, "forward");
        }

        /**
         * A listener with no forward.
         *
         * @param listener  the socket and its owners
         * @param wire      what it speaks; empty when it was not probed
         * @param probedAt  the address probed, or empty when not probed
         * @param notProbed why it was not probed although probing was asked for, or empty
         * @param packages  by pid, where each owner's executable came from; copied
         */
        public ExplainedListener(
                Listener listener,
                Optional<Wire> wire,
                String probedAt,
                String notProbed,
                Map<Integer, PackageOrigin> packages) {
            this(listener, wire, probedAt, notProbed, packages, Optional.empty());
        }

        /**
         * A listener whose packages were not looked up.
         *
         * @param listener  the socket and its owners
         * @param wire      what it speaks; empty when it was not probed
         * @param probedAt  the address probed, or empty when not probed
         * @param notProbed why it was not probed although probing was asked for, or empty
         */
        public ExplainedListener(Listener listener, Optional<Wire> wire, String probedAt, String notProbed) {
            this(listener, wire, probedAt, notProbed, Map.of());
        }

        /**
         * A listener that was not probed, with the reason (empty when probing was not asked for).
         *
         * @param listener the socket and its owners
         * @param reason   why it was not probed, or empty
         * @return a listener with no wire and no probed address
         */
        public static ExplainedListener notProbed(Listener listener, String reason) {
            return new ExplainedListener(listener, Optional.empty(), "", reason);
        }

        /**
         * This listener with the packages of its owners.
         *
         * @param packages by pid, where each owner's executable came from
         * @return a copy with those packages
         */
        public ExplainedListener withPackages(Map<Integer, PackageOrigin> packages) {
            return new ExplainedListener(listener, wire, probedAt, notProbed, packages, forward);
        }

        /**
         * This listener with where its forwarding owner sends it.
         *
         * @param forward the forward, or empty
         * @return a copy with that forward
         */
        public ExplainedListener withForward(Optional<Forward> forward) {
            return new ExplainedListener(listener, wire, probedAt, notProbed, packages, forward);
        }

        /**
         * Where a process's executable came from.
         *
         * @param process one of the listener's processes
         * @return its package, or why none is named; empty when packages were not looked up
         */
        public Optional<PackageOrigin> packageOf(ProcessInfo process) {
            return Optional.ofNullable(packages.get(process.pid()));
        }
    }

    /**
     * A command to run by hand.
     *
     * @param os      linux, macos or windows
     * @param command the command
     * @param purpose what it shows
     */
    public record ManualCheck(String os, String command, String purpose) {}
}
