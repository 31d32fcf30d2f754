package org.portlens.probe;

import java.util.List;

/**
 * A probes file that cannot be used. The message holds one line per problem, each
 * {@code FILE:LINE: what is wrong}, in file order. Immutable; safe from any thread.
 */
public final class SignatureFormatException extends RuntimeException {

    /** Every problem found, each {@code FILE:LINE: what is wrong}, in file order. */
    private final List<String> problems;

    SignatureFormatException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a format exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found, each {@code FILE:LINE: what is wrong}.
     *
     * @return the problems in file order, at least one
     */
    public List<String> problems() {
        return problems;
    }
}
