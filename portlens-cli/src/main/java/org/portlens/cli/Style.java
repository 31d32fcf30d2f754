package org.portlens.cli;

import org.portlens.Untrusted;

/** Colours when writing to a terminal and allowed to; plain text otherwise. Escapes untrusted text. */
final class Style {

    private final boolean color;

    Style(boolean color) {
        this.color = color;
    }

    /** Colour only on a terminal, never with --no-color or NO_COLOR set (any value, https://no-color.org). */
    static boolean colorWanted(boolean noColorFlag) {
        if (noColorFlag) {
            return false;
        }
        String env = System.getenv("NO_COLOR");
        if (env != null && !env.isEmpty()) {
            return false;
        }
        String term = System.getenv("TERM");
        if ("dumb".equals(term)) {
            return false;
        }
        return Terminal.isInteractive();
    }

    boolean color() {
        return color;
    }

    String bold(String s) {
        return wrap("1", s);
    }

    String dim(String s) {
        return wrap("2", s);
    }

    String red(String s) {
        return wrap("31", s);
    }

    String green(String s) {
        return wrap("32", s);
    }

    String yellow(String s) {
        return wrap("33", s);
    }

    String cyan(String s) {
        return wrap("36", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** Untrusted text (process names, command lines, registry text): control characters escaped. */
    static String safe(String s) {
        return Untrusted.forTerminal(s);
    }
}
