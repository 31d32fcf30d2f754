/** Linux discovery from /proc: socket tables per network namespace, file-descriptor scans, process details. */
package org.portlens.discovery.linux;
