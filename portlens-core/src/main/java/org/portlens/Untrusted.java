package org.portlens;

import org.portlens.internal.Text;

/**
 * Text that comes from other programs (process names, command lines, banners, certificate
 * subjects) made safe to print. Static methods only; safe from any thread.
 */
public final class Untrusted {

    private Untrusted() {}

    /**
     * Escapes control characters so that the text cannot move the cursor, change colours or forge
     * lines on a terminal: C0 and C1 controls and DEL become {@code \xHH} (tab, newline and
     * carriage return {@code \t \n \r}), Unicode line separators and bidi overrides (backslash, u, four hex digits).
     *
     * @param s the text to print; null is taken as empty
     * @return the text with every such character escaped; {@code s} itself when it has none
     */
    public static String forTerminal(String s) {
        return Text.escapeControls(s);
    }
}
