package org.portlens.policy;

import java.util.Optional;
import org.portlens.model.Listener;
import org.portlens.model.ProcessInfo;

/**
 * What an {@link Audit} found against a {@link Policy}, with its evidence as fields;
 * {@link AuditSentences} words it. Every finding is an immutable record.
 */
public sealed interface PolicyFinding {

    /**
     * A stable, lower-case identifier of the kind ({@code unexpected}), for JSON, SARIF rules and scripts.
     *
     * @return the identifier, words joined by dashes
     */
    String kind();

    /**
     * Whether the finding is a violation of the policy; false only for {@link OwnerUnknown}, which
     * makes the audit partial instead.
     *
     * @return true for a violation
     */
    default boolean violation() {
        return true;
    }

    /**
     * The listener the finding is about.
     *
     * @return the listener; empty for {@link Missing}, which is about a place where none is
     */
    default Optional<Listener> subject() {
        if (this instanceof Unexpected u) {
            return Optional.of(u.listener());
        } else if (this instanceof WiderExposure w) {
            return Optional.of(w.listener());
        } else if (this instanceof OtherOwner o) {
            return Optional.of(o.listener());
        } else if (this instanceof OwnerUnknown u) {
            return Optional.of(u.listener());
        }
        return Optional.empty();
    }

    /**
     * The policy entry the finding is about.
     *
     * @return the expect entry; empty for {@link Unexpected}, which no entry covers
     */
    default Optional<Expect> expected() {
        if (this instanceof Missing m) {
            return Optional.of(m.expect());
        } else if (this instanceof WiderExposure w) {
            return Optional.of(w.expect());
        } else if (this instanceof OtherOwner o) {
            return Optional.of(o.expect());
        } else if (this instanceof OwnerUnknown u) {
            return Optional.of(u.expect());
        }
        return Optional.empty();
    }

    /**
     * A listener no expect entry (and no ignore rule) covers.
     *
     * @param listener the listener, with its owners
     */
    record Unexpected(Listener listener) implements PolicyFinding {
        @Override
        public String kind() {
            return "unexpected";
        }
    }

    /**
     * A required expect entry that no listener meets.
     *
     * @param expect the entry
     */
    record Missing(Expect expect) implements PolicyFinding {
        @Override
        public String kind() {
            return "missing";
        }
    }

    /**
     * The expected listener is there, bound wider than allowed (loopback expected, all interfaces
     * bound).
     *
     * @param listener the listener
     * @param expect   the entry it meets but for its bind; its bind is the one allowed
     */
    record WiderExposure(Listener listener, Expect expect) implements PolicyFinding {
        @Override
        public String kind() {
            return "wider-exposure";
        }
    }

    /**
     * A listener at an expected place, held by someone other than the entry names.
     *
     * @param listener the listener
     * @param expect   the entry for its place
     * @param actual   the process holding it (the first one, when several do)
     */
    record OtherOwner(Listener listener, Expect expect, ProcessInfo actual) implements PolicyFinding {
        @Override
        public String kind() {
            return "other-owner";
        }
    }

    /**
     * A listener at an expected place whose owner could not be read (another user's process, one that
     * exited, a kernel socket), so who holds it could not be judged: the audit is partial.
     *
     * @param listener the listener
     * @param expect   the entry for its place
     * @param reason   why the owner is unknown
     */
    record OwnerUnknown(Listener listener, Expect expect, String reason) implements PolicyFinding {
        @Override
        public String kind() {
            return "owner-unknown";
        }

        @Override
        public boolean violation() {
            return false;
        }
    }
}
