/**
 * macOS discovery from its own tools: {@code lsof -F} for sockets and their owners, {@code netstat
 * -an} for the sockets lsof cannot show without root, {@code ps} for processes, {@code launchctl
 * list} for the launchd jobs behind them.
 */
@NullMarked
package org.portlens.discovery.macos;

import org.jspecify.annotations.NullMarked;
