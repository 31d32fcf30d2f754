package org.portlens.model;

import java.util.Locale;

/**
 * The container runtimes whose containers portlens recognises, from cgroup paths and state on disk.
 *
 * <p>Immutable; safe from any thread.
 */
public enum ContainerRuntime {
    /** Docker (dockerd, Moby). */
    DOCKER,
    /** Podman, rootful or rootless. */
    PODMAN,
    /** containerd, through its CRI plugin (Kubernetes) or directly (nerdctl, ctr). */
    CONTAINERD,
    /** CRI-O. */
    CRI_O,
    /** LXC, and LXD or Incus instances (which use LXC's cgroup names). */
    LXC,
    /** systemd-nspawn, or another machine registered with systemd-machined. */
    SYSTEMD_NSPAWN,
    /** A Kubernetes container whose cgroup does not name its runtime and whose state was not found. */
    UNKNOWN;

    /**
     * The runtime's own name, lower case.
     *
     * @return {@code docker}, {@code podman}, {@code containerd}, {@code cri-o}, {@code lxc},
     *     {@code systemd-nspawn} or {@code unknown}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
