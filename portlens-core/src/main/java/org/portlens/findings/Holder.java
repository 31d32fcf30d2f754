package org.portlens.findings;

import org.portlens.model.ProcessInfo;
import org.portlens.model.Transport;

/**
 * The process that holds a listener, as a finding names it. Immutable.
 *
 * @param transport tcp or udp
 * @param port      the port
 * @param process   the first process holding the socket
 * @param others    how many more processes hold it too (a pre-forked server's workers)
 * @param exposure  who can reach it
 */
public record Holder(Transport transport, int port, ProcessInfo process, int others, Exposure exposure) {}
