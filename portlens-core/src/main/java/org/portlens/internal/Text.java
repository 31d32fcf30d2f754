package org.portlens.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Small text helpers: making untrusted text (process names, command lines, banners) safe to show,
 * and splitting the whitespace-separated lines of kernel files. Stateless; safe from any thread.
 */
public final class Text {

    private Text() {}

    /**
     * Escapes control characters so that text from other programs cannot move the cursor, change
     * colours or forge lines on a terminal: C0 and C1 controls and DEL become backslash-x and two hex digits (tab,
     * newline and carriage return as {@code \t \n \r}), and Unicode line separators and bidi
     * overrides as backslash-u and four hex digits.
     */
    public static String escapeControls(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = null;
            if (c == '\t') {
                rep = "\\t";
            } else if (c == '\n') {
                rep = "\\n";
            } else if (c == '\r') {
                rep = "\\r";
            } else if (c < 0x20
                    || c == 0x7f
                    || (c >= 0x80 && c < 0xa0)
                    || c == '\u2028'
                    || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069')) {
                rep = c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
            }
            if (rep != null) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(rep);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * The whitespace-separated fields of {@code s}, without a regex: this runs on every start (the
     * Uid line of /proc/self/status, ip_local_port_range), and java.util.regex costs ~10 ms cold.
     * Leading, trailing and repeated whitespace yield no empty fields; blank text yields none.
     */
    public static String[] splitWhitespace(String s) {
        List<String> out = new ArrayList<>(4);
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }
}
