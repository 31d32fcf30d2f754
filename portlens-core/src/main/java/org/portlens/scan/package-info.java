/**
 * Fast connect scans of many ports (TCP) and UDP reachability checks: {@link org.portlens.scan.TcpConnectScanner}
 * and {@link org.portlens.scan.UdpScanner}, configured by {@link org.portlens.scan.ScanOptions}, answering with a
 * {@link org.portlens.scan.ScanReport}. Other TCP engines plug in through {@link org.portlens.scan.spi}.
 */
@NullMarked
package org.portlens.scan;

import org.jspecify.annotations.NullMarked;
