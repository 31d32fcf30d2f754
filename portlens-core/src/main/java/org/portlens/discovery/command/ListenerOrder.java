package org.portlens.discovery.command;

import java.util.Comparator;
import org.portlens.model.Listener;

/**
 * The order listeners are listed in: transport, port, address, this namespace first, namespace inode.
 * A class, not a chain of {@code Comparator.comparing} lambdas: those are spun at run time on every
 * start, where neither the class-data archive nor the AOT cache can hold them. Stateless; safe from
 * any thread.
 */
public final class ListenerOrder implements Comparator<Listener> {

    /** The one instance. */
    public static final ListenerOrder INSTANCE = new ListenerOrder();

    private ListenerOrder() {}

    @Override
    public int compare(Listener a, Listener b) {
        int c = a.transport().compareTo(b.transport());
        if (c == 0) {
            c = Integer.compare(a.local().port(), b.local().port());
        }
        if (c == 0) {
            c = a.local().address().compareTo(b.local().address());
        }
        if (c == 0) {
            c = Boolean.compare(!a.namespace().current(), !b.namespace().current());
        }
        if (c == 0) {
            c = Long.compare(a.namespace().inode(), b.namespace().inode());
        }
        return c;
    }
}
