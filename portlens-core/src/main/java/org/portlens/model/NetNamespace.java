package org.portlens.model;

/**
 * A network namespace.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param inode   the namespace's inode ({@code net:[4026531840]}); 0 if unknown
 * @param name    its name under /run/netns ({@code ip netns}), a container, or empty
 * @param current whether it is the namespace portlens runs in
 */
public record NetNamespace(long inode, String name, boolean current) {

    /**
     * "this host", "netns blue", or "netns 4026532345".
     *
     * @return "this host" for the current namespace, else "netns" and its name, or its inode when it has none
     */
    public String label() {
        if (current) {
            return "this host";
        }
        return name.isEmpty() ? "netns " + inode : "netns " + name;
    }
}
