package org.portlens.model;

/**
 * The ports this host hands out to outgoing connections.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param range  the range ({@code net.ipv4.ip_local_port_range})
 * @param source where it was read
 */
public record EphemeralRange(PortRange range, String source) {}
