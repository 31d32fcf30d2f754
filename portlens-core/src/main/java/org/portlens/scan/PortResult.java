package org.portlens.scan;

/**
 * One scanned port and what was found. Immutable, so safe to share between threads.
 *
 * @param port  1-65535
 * @param state what the scan saw
 */
public record PortResult(int port, PortState state) {

    /**
     * Checks the port is 1-65535 and the state is given.
     *
     * @param port  1-65535
     * @param state what the scan saw; required
     * @throws IllegalArgumentException for a port outside 1-65535 or no state
     */
    public PortResult {
        if (port < 1 || port > PortSet.MAX_PORT) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        if (state == null) {
            throw new IllegalArgumentException("state is required");
        }
    }
}
