package org.portlens.watch;

import java.time.Instant;
import java.util.Locale;
import org.portlens.model.Listener;

/**
 * Something a watcher saw change, with when it saw it. Each carries the listener as read at that
 * moment (for a close: as last seen open). Every event is an immutable record.
 */
public sealed interface WatchEvent {

    /** The kinds of event, as the JSON and the history store name them. */
    enum Kind {
        /** Listening when the watch started. */
        PRESENT,
        /** Opened since the last read. */
        OPENED,
        /** Closed since the last read. */
        CLOSED,
        /** Held by another process than at the last read. */
        OWNER_CHANGED;

        /**
         * The lower-case, dash-separated name ({@code owner-changed}).
         *
         * @return the label
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * When the read that saw it was made.
     *
     * @return the time of the read
     */
    Instant at();

    /**
     * The listener, as read (for a close, as last seen open).
     *
     * @return the listener
     */
    Listener listener();

    /**
     * What happened.
     *
     * @return the kind
     */
    Kind kind();

    /**
     * Where.
     *
     * @return the listener's place
     */
    default Place place() {
        return Place.of(listener());
    }

    /**
     * A listener open when the watch started.
     *
     * @param at       the first read
     * @param listener the listener
     */
    record Present(Instant at, Listener listener) implements WatchEvent {
        @Override
        public Kind kind() {
            return Kind.PRESENT;
        }
    }

    /**
     * A listener that was not there at the last read.
     *
     * @param at       the read that first saw it
     * @param listener the listener
     */
    record Opened(Instant at, Listener listener) implements WatchEvent {
        @Override
        public Kind kind() {
            return Kind.OPENED;
        }
    }

    /**
     * A listener that is gone.
     *
     * @param at       the first read without it
     * @param listener the listener as last seen
     */
    record Closed(Instant at, Listener listener) implements WatchEvent {
        @Override
        public Kind kind() {
            return Kind.CLOSED;
        }
    }

    /**
     * A listener now held by another process (a hand-over, or a restart quicker than one read).
     *
     * @param at       the read that saw the new owner
     * @param listener the listener with its new owners
     * @param before   the listener as last seen with the old owners
     */
    record OwnerChanged(Instant at, Listener listener, Listener before) implements WatchEvent {
        @Override
        public Kind kind() {
            return Kind.OWNER_CHANGED;
        }
    }
}
