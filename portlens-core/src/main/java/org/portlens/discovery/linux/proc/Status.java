package org.portlens.discovery.linux.proc;

import org.portlens.internal.Text;

/**
 * The fields of /proc/PID/status that portlens uses. Immutable; safe from any thread.
 *
 * @param uid  real uid
 * @param euid effective uid
 */
public record Status(int uid, int euid) {

    /**
     * Parses the status file.
     *
     * @throws IllegalArgumentException when there is no Uid line, or it does not hold a real and an
     *                                  effective uid
     */
    public static Status parse(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = Text.splitWhitespace(line.substring(4));
                if (f.length < 2) {
                    throw new IllegalArgumentException("malformed Uid line in status, expected 4 uids: '" + line + "'");
                }
                return new Status(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
            }
        }
        throw new IllegalArgumentException("no Uid line in status");
    }
}
