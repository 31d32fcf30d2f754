/** Helpers with no API promise: address decoding, text sanitising, small I/O utilities. Not for use outside portlens. */
@NullMarked
package org.portlens.internal;

import org.jspecify.annotations.NullMarked;
