/** What a port really speaks: protocol identification by banner and probes ({@link org.portlens.probe.Prober}). */
package org.portlens.probe;
