package org.portlens.discovery.windows;

/**
 * A Windows service that runs in a process. Immutable.
 *
 * @param name        its key name ({@code RpcSs})
 * @param displayName its display name ({@code Remote Procedure Call (RPC)}), or empty
 * @param pid         the process it runs in
 */
record Service(String name, String displayName, int pid) {}
