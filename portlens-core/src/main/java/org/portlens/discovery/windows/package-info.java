/**
 * Windows discovery from its own tools: one PowerShell run for sockets ({@code Get-NetTCPConnection},
 * {@code Get-NetUDPEndpoint}), processes ({@code Win32_Process}) and services ({@code Win32_Service});
 * {@code netstat -ano} and {@code tasklist} where PowerShell or a part of it is missing.
 */
@NullMarked
package org.portlens.discovery.windows;

import org.jspecify.annotations.NullMarked;
