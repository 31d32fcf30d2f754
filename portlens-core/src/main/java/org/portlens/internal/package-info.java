/** Helpers with no API promise: address decoding, text sanitising, small I/O utilities. Not for use outside portlens. */
package org.portlens.internal;
