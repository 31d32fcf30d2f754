package org.portlens.model;

/**
 * One step of a process's ancestry.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param pid     process id
 * @param name    the kernel's short name (comm)
 * @param command the command line joined with spaces, or the name in brackets when there is none
 */
public record ProcessRef(int pid, String name, String command) {}
