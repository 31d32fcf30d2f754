package org.portlens.discovery.command;

/** Small pieces of parsing the tools' outputs share. Stateless; safe from any thread. */
public final class Fields {

    private Fields() {}

    /**
     * A decimal number of at most 9 digits (a pid, a port, a uid), or -1: no sign, no spaces.
     *
     * @param s the text
     * @return its value, or -1 when it is not such a number
     */
    public static int number(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }
}
