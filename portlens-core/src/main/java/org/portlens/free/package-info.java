/**
 * Freeing a port: what holds it and what stopping it would mean ({@link org.portlens.free.Plan}),
 * the signal sent only to the process that was shown, and what holds the port afterwards
 * ({@link org.portlens.free.Outcome}). Start at {@link org.portlens.free.PortFreer}.
 */
@NullMarked
package org.portlens.free;

import org.jspecify.annotations.NullMarked;
