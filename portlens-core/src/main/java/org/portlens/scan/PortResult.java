package org.portlens.scan;

/**
 * One scanned port and what was found.
 *
 * @param port  1-65535
 * @param state what the scan saw
 */
public record PortResult(int port, PortState state) {

    public PortResult {
        if (port < 1 || port > PortSet.MAX_PORT) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        if (state == null) {
            throw new IllegalArgumentException("state is required");
        }
    }
}
