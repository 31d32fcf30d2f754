/**
 * Change events from successive reads of the listener table: a listener opened, closed, or now held
 * by another process. A listener's place is (transport, address, port, network namespace), never a
 * pid, so a process that hands its socket to another is an owner change, not a close and an open.
 */
@NullMarked
package org.portlens.watch;

import org.jspecify.annotations.NullMarked;
