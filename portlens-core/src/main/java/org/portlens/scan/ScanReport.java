package org.portlens.scan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.portlens.model.Transport;

/**
 * The outcome of one scan of one host. Immutable, so safe to share between threads.
 *
 * @param host          the address scanned, as text ({@code 127.0.0.1})
 * @param transport     {@link Transport#TCP} or {@link Transport#UDP}
 * @param ports         the ports in each state; every state is present, possibly with an empty set
 * @param elapsedMillis wall-clock time of the scan
 * @param selfConnects  probes whose socket was given the target port as its own source port on the
 *                      local host (TCP: simultaneous open connects it to itself; UDP: it would read its own
 *                      probe), reported {@link PortState#CLOSED}, not open
 * @param engine        how the probes were sent: {@link Engine#NIO} (Java's selectors, every JDK) or
 *                      {@link Engine#NATIVE} (raw socket calls, TCP on Linux; see {@link TcpConnectScanner})
 * @param engineNote    why a TCP scan used NIO where it would have used native sockets on Linux (on macOS
 *                      and Windows: "native sockets are Linux only"), or empty
 */
public record ScanReport(
        String host,
        Transport transport,
        Map<PortState, PortSet> ports,
        long elapsedMillis,
        int selfConnects,
        Engine engine,
        String engineNote) {

    /** How a scan sent its probes. */
    public enum Engine {
        /** Java's NIO selectors, on every JDK and system. */
        NIO("nio"),
        /** Raw socket calls reusing sockets (the foreign function API or the JDK's own natives; TCP on Linux). */
        NATIVE("native");

        private final String label;

        Engine(String label) {
            this.label = label;
        }

        /**
         * The lower-case name used in JSON and messages: {@code nio} or {@code native}.
         *
         * @return {@code nio} or {@code native}
         */
        public String label() {
            return label;
        }
    }

    /**
     * Copies the map, filling in every state that is missing with an empty set.
     *
     * @param host          the address scanned, as text
     * @param transport     {@link Transport#TCP} or {@link Transport#UDP}
     * @param ports         the ports in each state; a missing state counts as none
     * @param elapsedMillis wall-clock time of the scan, in milliseconds
     * @param selfConnects  probes that met their own socket, reported closed
     * @param engine        how the probes were sent; required
     * @param engineNote    why NIO ran where native sockets would have on Linux, or empty
     * @throws IllegalArgumentException when {@code engine} is null
     */
    public ScanReport {
        EnumMap<PortState, PortSet> copy = new EnumMap<>(PortState.class);
        for (PortState s : PortState.values()) {
            PortSet set = ports.get(s);
            copy.put(s, set == null ? PortSet.empty() : set);
        }
        ports = Collections.unmodifiableMap(copy);
        if (engine == null) {
            throw new IllegalArgumentException("engine is required");
        }
    }

    /**
     * A report with no engine note.
     *
     * @param host          the address scanned, as text
     * @param transport     {@link Transport#TCP} or {@link Transport#UDP}
     * @param ports         the ports in each state; a missing state counts as none
     * @param elapsedMillis wall-clock time of the scan, in milliseconds
     * @param selfConnects  probes that met their own socket, reported closed
     * @param engine        how the probes were sent; required
     */
    public ScanReport(
            String host,
            Transport transport,
            Map<PortState, PortSet> ports,
            long elapsedMillis,
            int selfConnects,
            Engine engine) {
        this(host, transport, ports, elapsedMillis, selfConnects, engine, "");
    }

    /**
     * The same report with an engine note.
     *
     * @param note why NIO ran where native sockets would have on Linux
     * @return a copy with {@code engineNote} set
     */
    public ScanReport withEngineNote(String note) {
        return new ScanReport(host, transport, ports, elapsedMillis, selfConnects, engine, note);
    }

    /**
     * How many ports were scanned.
     *
     * @return the sum of the sets of every state
     */
    public int portsScanned() {
        int n = 0;
        for (PortSet set : ports.values()) {
            n += set.size();
        }
        return n;
    }

    /**
     * The ports found in a state.
     *
     * @param state the state asked about
     * @return the ports in that state; empty when there are none
     */
    public PortSet ports(PortState state) {
        return ports.getOrDefault(state, PortSet.empty());
    }

    /**
     * How many ports were found in a state.
     *
     * @param state the state asked about
     * @return the number of ports in that state, 0 when there are none
     */
    public int count(PortState state) {
        return ports(state).size();
    }

    /**
     * The count per state, in the order of {@link PortState}.
     *
     * @return an unmodifiable map with every state, 0 for a state without ports
     */
    public Map<PortState, Integer> counts() {
        EnumMap<PortState, Integer> counts = new EnumMap<>(PortState.class);
        for (Map.Entry<PortState, PortSet> e : ports.entrySet()) {
            counts.put(e.getKey(), e.getValue().size());
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * The open ports, ascending.
     *
     * @return one result per open port; empty when no port is open
     */
    public List<PortResult> open() {
        List<PortResult> out = new ArrayList<>();
        for (int p : ports(PortState.OPEN).toArray()) {
            out.add(new PortResult(p, PortState.OPEN));
        }
        return List.copyOf(out);
    }
}
