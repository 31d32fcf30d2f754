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
    public static final int MAX_PORT = 65535;

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

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /**
     * Parses {@code 3640} or {@code 3000-3005}.
     *
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

    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    public boolean overlaps(PortRange other) {
        return low <= other.high && other.low <= high;
    }

    public boolean single() {
        return low == high;
    }

    public int size() {
        return high - low + 1;
    }

    @Override
    public String toString() {
        return single() ? Integer.toString(low) : low + "-" + high;
    }
}
