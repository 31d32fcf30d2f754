package org.portlens.discovery.linux;

/**
 * How many rows a network namespace's socket tables hold, from its {@code net/sockstat} and
 * {@code net/sockstat6}: the cost of reading the proc files grows with every TCP socket in them
 * (connections and TIME_WAIT included), while sock_diag netlink is asked for listening sockets only.
 * Works on the text alone so it can be tested on recorded files. Stateless; safe from any thread.
 */
final class SockStat {

    private SockStat() {}

    /**
     * The rows of /proc/net/{tcp,tcp6,udp,udp6} the counters announce: TCP and TCP6 sockets in use, the
     * TIME_WAIT sockets (counted once for both families), UDP and UDP6 sockets in use. A counter missing
     * or unreadable counts 0.
     *
     * @param sockstat  the content of {@code net/sockstat} ({@code TCP: inuse 24219 orphan 0 tw 3 ...})
     * @param sockstat6 the content of {@code net/sockstat6} ({@code TCP6: inuse 1075}); empty without IPv6
     * @return the number of rows, 0 when nothing could be read
     */
    static long rows(String sockstat, String sockstat6) {
        return counter(sockstat, "TCP", "inuse")
                + counter(sockstat, "TCP", "tw")
                + counter(sockstat, "UDP", "inuse")
                + counter(sockstat6, "TCP6", "inuse")
                + counter(sockstat6, "UDP6", "inuse");
    }

    /**
     * One counter: the number after {@code key} on the line that starts with {@code protocol:}.
     *
     * @return the counter, or 0 when the line, the key or a number after it is missing
     */
    static long counter(String text, String protocol, String key) {
        String head = protocol + ":";
        for (String line : text.split("\n", -1)) {
            if (!line.startsWith(head)) {
                continue;
            }
            String[] f = line.substring(head.length()).trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i += 2) {
                if (f[i].equals(key)) {
                    try {
                        return Math.max(0, Long.parseLong(f[i + 1]));
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
            return 0;
        }
        return 0;
    }
}
