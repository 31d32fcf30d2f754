/** Process details parsed from the system's text, and why a process runs: systemd units, containers, cron, shells. */
@NullMarked
package org.portlens.discovery.linux.proc;

import org.jspecify.annotations.NullMarked;
