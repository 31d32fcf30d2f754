/** What a port really speaks: protocol identification by banner and probes ({@link org.portlens.probe.Prober}). */
@NullMarked
package org.portlens.probe;

import org.jspecify.annotations.NullMarked;
