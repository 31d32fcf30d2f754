package org.portlens.policy;

import org.portlens.model.NetNamespace;

/**
 * Which network namespace a rule is about: {@code host} (the one portlens runs in, the default),
 * {@code any}, or one namespace by its name under /run/netns (or, for an unnamed one, its inode).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param value {@code host}, {@code any}, or a namespace's name or inode
 */
public record Netns(String value) {

    /** The namespace portlens runs in. */
    public static final Netns HOST = new Netns("host");

    /** Every namespace. */
    public static final Netns ANY = new Netns("any");

    /**
     * Checks the value.
     *
     * @param value {@code host}, {@code any}, or a namespace's name or inode
     * @throws IllegalArgumentException when it is blank
     */
    public Netns {
        if (value.isBlank()) {
            throw new IllegalArgumentException("netns must be host, any, or a namespace name, got '" + value + "'");
        }
    }

    /**
     * The rule's value for a listener's namespace, as {@link Baseline} writes it.
     *
     * @param ns a listener's namespace
     * @return {@link #HOST} for the current one, else its name, else its inode
     */
    public static Netns of(NetNamespace ns) {
        if (ns.current()) {
            return HOST;
        }
        return new Netns(ns.name().isEmpty() ? Long.toString(ns.inode()) : ns.name());
    }

    /**
     * Whether a listener in that namespace falls under the rule.
     *
     * @param ns the listener's namespace
     * @return true when it is the one named (or any)
     */
    public boolean matches(NetNamespace ns) {
        if (this.equals(ANY)) {
            return true;
        }
        if (this.equals(HOST)) {
            return ns.current();
        }
        return !ns.current() && (value.equals(ns.name()) || value.equals(Long.toString(ns.inode())));
    }
}
