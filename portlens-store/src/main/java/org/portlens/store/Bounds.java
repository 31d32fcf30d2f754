package org.portlens.store;

import org.jspecify.annotations.Nullable;

/**
 * The limits on text the store keeps (the README's History section lists them): longer values are
 * cut, without splitting a character, and NUL characters (which PostgreSQL refuses) become U+FFFD.
 */
final class Bounds {
    /** Host names, process and user names, namespace names, unit and container names. */
    static final int NAME = 255;
    /** Executable paths. */
    static final int PATH = 1024;
    /** Bound addresses (an IPv6 literal with a zone fits). */
    static final int ADDRESS = 64;

    private Bounds() {}

    static @Nullable String cutOrNull(@Nullable String s, int max) {
        return s == null ? null : cut(s, max);
    }

    static String cut(String s, int max) {
        String t = s.indexOf('\0') >= 0 ? s.replace('\0', '\uFFFD') : s;
        if (t.length() <= max) {
            return t;
        }
        int end = max;
        if (Character.isHighSurrogate(t.charAt(end - 1))) {
            end--;
        }
        return t.substring(0, end);
    }
}
