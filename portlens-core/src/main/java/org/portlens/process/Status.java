package org.portlens.process;

/**
 * The fields of /proc/PID/status that portlens uses.
 *
 * @param uid  real uid
 * @param euid effective uid
 */
public record Status(int uid, int euid) {

    /** @throws IllegalArgumentException when there is no Uid line */
    public static Status parse(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).strip().split("\\s+");
                return new Status(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
            }
        }
        throw new IllegalArgumentException("no Uid line in status");
    }
}
