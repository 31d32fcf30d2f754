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
 * @param installed the installed package of the process's executable and its version ("apache2-bin
 *                  2.4.62-1~deb12u2"), or empty when not looked up or not from a package
 */
public record Holder(
        Transport transport, int port, ProcessInfo process, int others, Exposure exposure, String installed) {

    /**
     * A holder whose package is not known.
     *
     * @param transport tcp or udp
     * @param port      the port
     * @param process   the first process holding the socket
     * @param others    how many more processes hold it too
     * @param exposure  who can reach it
     */
    public Holder(Transport transport, int port, ProcessInfo process, int others, Exposure exposure) {
        this(transport, port, process, others, exposure, "");
    }
}
