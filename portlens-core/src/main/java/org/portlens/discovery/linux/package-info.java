/** Linux discovery from /proc: socket tables per network namespace, file-descriptor scans, process details. */
@NullMarked
package org.portlens.discovery.linux;

import org.jspecify.annotations.NullMarked;
