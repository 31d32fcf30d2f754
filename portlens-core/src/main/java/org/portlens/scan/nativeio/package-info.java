/**
 * The native TCP scan engine (raw Linux socket calls that reuse sockets), provided as a
 * {@link org.portlens.scan.spi.ScanEngine} service. Implementation only, with no contract: not exported.
 */
@NullMarked
package org.portlens.scan.nativeio;

import org.jspecify.annotations.NullMarked;
