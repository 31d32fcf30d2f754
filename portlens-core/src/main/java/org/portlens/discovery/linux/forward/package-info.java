/** Ports forwarded elsewhere: forwarding processes' command lines and NAT rules (nft, iptables-save) parsed into typed forwards. */
@NullMarked
package org.portlens.discovery.linux.forward;

import org.jspecify.annotations.NullMarked;
