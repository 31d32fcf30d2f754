package org.portlens.model;

/**
 * An inclusive range of port numbers; a single port is a range of one.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param low  first port, 0-65535
 * @param high last port, {@code low}-65535
 */
public record PortRange(int low, int high) {
    /** The highest port number. */
    public static final int MAX_PORT = 65535;

    /**
     * Checks the bounds, naming the one that is out of range.
     *
     * @param low  first port, 0-65535
     * @param high last port, {@code low}-65535
     * @throws IllegalArgumentException for a bound outside 0-65535, or {@code high} below {@code low}
     */
    public PortRange {
        if (low < 0 || low > MAX_PORT) {
            throw new IllegalArgumentException("port must be 0-65535, got " + low);
        }
        if (high < 0 || high > MAX_PORT) {
            throw new IllegalArgumentException("port must be 0-65535, got " + high);
        }
        if (high < low) {
            throw new IllegalArgumentException("port range must run low to high, got " + low + "-" + high);
        }
    }

    /**
     * The range of one port.
     *
     * @param port the port, 0-65535
     * @return the range {@code port}-{@code port}
     * @throws IllegalArgumentException for a port outside 0-65535
     */
    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /**
     * Parses {@code 3640} or {@code 3000-3005}.
     *
     * @param text a port or two joined by a dash, 0-65535; spaces around it are ignored
     * @return the range, of one port when the text has no dash
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public static PortRange parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty port: expected a number 0-65535 or a range such as 3000-3005");
        }
        if (t.startsWith("-") && t.length() > 1 && Character.isDigit(t.charAt(1))) {
            throw new IllegalArgumentException("port must be 0-65535, got " + t);
        }
        int dash = t.indexOf('-', 1);
        if (dash > 0) {
            return new PortRange(parsePort(t.substring(0, dash), text), parsePort(t.substring(dash + 1), text));
        }
        return of(parsePort(t, text));
    }

    private static int parsePort(String part, String whole) {
        if (part.isEmpty() || part.length() > 6) {
            throw bad(whole);
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(whole);
            }
        }
        int value = Integer.parseInt(part);
        if (value > MAX_PORT) {
            throw new IllegalArgumentException("port must be 0-65535, got " + whole.strip());
        }
        return value;
    }

    private static IllegalArgumentException bad(String whole) {
        return new IllegalArgumentException(
                "not a port: '" + whole + "': expected a number 0-65535 or a range such as 3000-3005");
    }

    /**
     * Whether the range holds a port.
     *
     * @param port any number
     * @return true when {@code port} is {@code low} to {@code high}
     */
    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    /**
     * Whether the two ranges share a port.
     *
     * @param other the other range
     * @return true when at least one port is in both
     */
    public boolean overlaps(PortRange other) {
        return low <= other.high && other.low <= high;
    }

    /**
     * Whether the range is one port.
     *
     * @return true when {@code low == high}
     */
    public boolean single() {
        return low == high;
    }

    /**
     * How many ports the range holds.
     *
     * @return 1 to 65536
     */
    public int size() {
        return high - low + 1;
    }

    @Override
    public String toString() {
        return single() ? Integer.toString(low) : low + "-" + high;
    }
}
