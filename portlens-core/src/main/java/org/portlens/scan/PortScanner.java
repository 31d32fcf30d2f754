package org.portlens.scan;

import java.io.IOException;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * What the TCP and the UDP scanner share: their options, the checks of a scan's arguments, and the
 * scan without progress reports. Each runs its own {@link Sweep}.
 */
abstract class PortScanner {

    final ScanOptions options;
    /** A fixed limit for tests; null reads the process's own at each scan. */
    private final @Nullable OpenFileLimit limit;

    PortScanner(ScanOptions options, @Nullable OpenFileLimit limit) {
        if (options == null) {
            throw new IllegalArgumentException("scan options are required");
        }
        this.options = options;
        this.limit = limit;
    }

    /**
     * The options every scan of this scanner uses.
     *
     * @return the options it was made with
     */
    public ScanOptions options() {
        return options;
    }

    /**
     * Scans without progress reports.
     *
     * @param host  the host to scan
     * @param ports the ports to scan
     * @return the state of every port, with the time the scan took
     * @throws IOException                    if no socket or selector can be opened at all
     * @throws java.io.InterruptedIOException if the calling thread is interrupted (sockets are closed first)
     */
    public ScanReport scan(InetAddress host, PortSet ports) throws IOException {
        return scan(host, ports, ProgressListener.NONE);
    }

    /**
     * Scans {@code ports} of {@code host}.
     *
     * @param host     the host to scan
     * @param ports    the ports to scan
     * @param progress told how far the scan has got, on the calling thread
     * @return the state of every port, with the time the scan took
     * @throws IOException                    if no socket or selector can be opened at all
     * @throws java.io.InterruptedIOException if the calling thread is interrupted (sockets are closed first)
     */
    public ScanReport scan(InetAddress host, PortSet ports, ProgressListener progress) throws IOException {
        if (host == null || ports == null || progress == null) {
            throw new IllegalArgumentException("host, ports and progress listener are required");
        }
        return run(new Sweep(host, ports, options, limit != null ? limit : OpenFileLimit.current()), host, progress);
    }

    /** Runs the sweep with this scanner's workers. */
    abstract ScanReport run(Sweep sweep, InetAddress host, ProgressListener progress) throws IOException;
}
