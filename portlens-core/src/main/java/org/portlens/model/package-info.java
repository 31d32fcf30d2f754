/** The values every part of portlens shares: transports, endpoints, listeners, processes and owners. */
@NullMarked
package org.portlens.model;

import org.jspecify.annotations.NullMarked;
