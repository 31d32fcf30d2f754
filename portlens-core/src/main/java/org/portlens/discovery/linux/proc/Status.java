package org.portlens.discovery.linux.proc;

/**
 * The fields of /proc/PID/status that portlens uses.
 *
 * @param uid  real uid
 * @param euid effective uid
 */
public record Status(int uid, int euid) {

    /** @throws IllegalArgumentException when there is no Uid line, or it does not hold a real and an effective uid */
    public static Status parse(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = fields(line.substring(4));
                if (f.length < 2) {
                    throw new IllegalArgumentException("malformed Uid line in status, expected 4 uids: '" + line + "'");
                }
                return new Status(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
            }
        }
        throw new IllegalArgumentException("no Uid line in status");
    }

    /** Whitespace-separated fields, without a regex: this runs on every start, and java.util.regex costs ~10 ms cold. */
    public static String[] fields(String s) {
        java.util.List<String> out = new java.util.ArrayList<>(4);
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
