/**
 * The seam for TCP connect engines other than the built-in NIO one: a {@link org.portlens.scan.spi.ScanEngine}
 * found with {@link java.util.ServiceLoader}, run by {@link org.portlens.scan.TcpConnectScanner}.
 */
@NullMarked
package org.portlens.scan.spi;

import org.jspecify.annotations.NullMarked;
