package org.portlens.discovery.linux.proc;

/**
 * The fields of /proc/PID/stat that portlens uses. Immutable; safe from any thread.
 *
 * @param pid        process id
 * @param comm       the short name (may contain spaces and parentheses)
 * @param state      state letter
 * @param ppid       parent pid
 * @param ttyNr      controlling terminal device number, 0 for none
 * @param startTicks start time in clock ticks after boot
 */
public record Stat(int pid, String comm, char state, int ppid, int ttyNr, long startTicks) {

    /**
     * Parses the one-line stat file. The name sits between the first '(' and the last ')', since
     * it may itself hold parentheses and spaces.
     *
     * @throws IllegalArgumentException when the line is not a stat line
     */
    public static Stat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: no (comm)");
        }
        int pid = Integer.parseInt(line.substring(0, open).strip());
        String comm = line.substring(open + 1, close);
        String[] f = line.substring(close + 1).strip().split(" ");
        // f[0]=state(3) f[1]=ppid(4) f[2]=pgrp f[3]=session f[4]=tty_nr(7) ... f[19]=starttime(22)
        if (f.length < 20) {
            throw new IllegalArgumentException("not a /proc stat line: " + f.length + " fields after comm");
        }
        return new Stat(
                pid, comm, f[0].charAt(0), Integer.parseInt(f[1]), Integer.parseInt(f[4]), Long.parseLong(f[19]));
    }

    /** "pts/3" or "tty1" for the controlling terminal, or empty. */
    public String ttyName() {
        if (ttyNr == 0) {
            return "";
        }
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) {
            return "pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4 && minor < 64) {
            return "tty" + minor;
        }
        if (major == 4) {
            return "ttyS" + (minor - 64);
        }
        return "tty(" + major + ":" + minor + ")";
    }
}
