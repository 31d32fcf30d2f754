package org.portlens.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import org.jspecify.annotations.Nullable;

/** Expands the field templates of {@link ResponseMatcher} ({@code $1}, {@code $P(1)}, {@code $I(1,"<")}…). */
final class Templates {

    private Templates() {}

    /**
     * Checks a template against an expression with {@code groupCount} groups.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static void check(String template, int groupCount) {
        expand(template, null, groupCount);
    }

    /** Expands a template that {@link #check} accepted; groups that did not take part give "". */
    static String apply(String template, MatchResult m) {
        return expand(template, m, m.groupCount());
    }

    private static String expand(String t, @Nullable MatchResult m, int groupCount) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= t.length()) {
                throw new IllegalArgumentException("'$' at the end of template '" + t + "': write $$ for a dollar");
            }
            char n = t.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n >= '1' && n <= '9') {
                out.append(group(m, n - '0', groupCount, t));
                i += 2;
            } else if (n == '{') {
                int close = t.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed ${ in template '" + t + "'");
                }
                out.append(group(m, number(t.substring(i + 2, close), t), groupCount, t));
                i = close + 1;
            } else if (t.startsWith("P(", i + 1) || t.startsWith("I(", i + 1) || t.startsWith("SUBST(", i + 1)) {
                int open = t.indexOf('(', i);
                String fn = t.substring(i + 1, open);
                int close = closing(t, open);
                String[] args = arguments(t.substring(open + 1, close), t);
                String g = group(m, number(args[0], t), groupCount, t);
                switch (fn) {
                    case "P" -> {
                        if (args.length != 1) {
                            throw new IllegalArgumentException("$P takes one group number, in template '" + t + "'");
                        }
                        out.append(printable(g));
                    }
                    case "I" -> {
                        if (args.length > 2 || (args.length == 2 && !args[1].equals(">") && !args[1].equals("<"))) {
                            throw new IllegalArgumentException(
                                    "$I takes a group number and \">\" or \"<\", in template '" + t + "'");
                        }
                        if (m != null && !g.isEmpty()) {
                            out.append(unsigned(g, args.length == 2 && args[1].equals("<")));
                        }
                    }
                    default -> {
                        if (args.length != 3) {
                            throw new IllegalArgumentException(
                                    "$SUBST takes a group number and two strings, in template '" + t + "'");
                        }
                        out.append(g.replace(args[1], args[2]));
                    }
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unknown '$" + n + "' in template '" + t
                        + "': expected $1-$9, ${N}, $P(N), $I(N), $SUBST(N,\"a\",\"b\") or $$");
            }
        }
        return out.toString();
    }

    private static String group(@Nullable MatchResult m, int n, int groupCount, String t) {
        if (n < 1 || n > groupCount) {
            throw new IllegalArgumentException("template '" + t + "' uses group " + n + " but the expression has "
                    + (groupCount == 0 ? "no groups" : groupCount == 1 ? "1 group" : groupCount + " groups"));
        }
        if (m == null) {
            return "";
        }
        String g = m.group(n);
        return g == null ? "" : g;
    }

    private static int number(String s, String t) {
        String v = s.strip();
        if (v.isEmpty() || v.length() > 3 || !v.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a group number: '" + s + "' in template '" + t + "'");
        }
        return Integer.parseInt(v);
    }

    private static int closing(String t, int open) {
        boolean quoted = false;
        for (int k = open + 1; k < t.length(); k++) {
            char c = t.charAt(k);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ')' && !quoted) {
                return k;
            }
        }
        throw new IllegalArgumentException("unclosed '(' in template '" + t + "'");
    }

    /** Splits {@code 1,"a","b"} into 1, a, b; strings are double-quoted, no escapes. */
    private static String[] arguments(String s, String t) {
        List<String> out = new ArrayList<>();
        int k = 0;
        while (true) {
            while (k < s.length() && s.charAt(k) == ' ') {
                k++;
            }
            if (k < s.length() && s.charAt(k) == '"') {
                int end = s.indexOf('"', k + 1);
                out.add(s.substring(k + 1, end));
                k = end + 1;
            } else {
                int end = s.indexOf(',', k);
                out.add(s.substring(k, end < 0 ? s.length() : end).strip());
                k = end < 0 ? s.length() : end;
            }
            while (k < s.length() && s.charAt(k) == ' ') {
                k++;
            }
            if (k >= s.length()) {
                break;
            }
            if (s.charAt(k) != ',') {
                throw new IllegalArgumentException("expected ',' in '" + s + "' in template '" + t + "'");
            }
            k++;
        }
        return out.toArray(String[]::new);
    }

    private static String printable(String g) {
        StringBuilder sb = new StringBuilder(g.length());
        for (int k = 0; k < g.length(); k++) {
            char c = g.charAt(k);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unsigned(String g, boolean littleEndian) {
        if (g.length() > 7) {
            return "";
        }
        long v = 0;
        for (int k = 0; k < g.length(); k++) {
            int b = g.charAt(littleEndian ? g.length() - 1 - k : k) & 0xff;
            v = (v << 8) | b;
        }
        return Long.toString(v);
    }
}
