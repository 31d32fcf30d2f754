package org.portlens.discovery.linux;

/**
 * Parses the targets of /proc symlinks that name a kernel object by inode: {@code fd/N} of a
 * socket ({@code socket:[12345]}) and {@code ns/net} ({@code net:[4026531840]}). Works on the
 * text alone, so it is tested on recorded targets; reading the links is {@link ProcRoot}'s job.
 */
final class ProcLinks {

    private ProcLinks() {}

    /**
     * The socket inode an {@code fd/N} link points at.
     *
     * @return the inode of {@code socket:[12345]}, or -1 when the target is not a socket (a file, a
     *         pipe, an anon_inode) or its number does not parse
     */
    static long socketInode(String target) {
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(target, 8, target.length() - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The namespace inode an {@code ns/*} link points at.
     *
     * @return the number between the brackets of {@code net:[4026531840]}, or 0 (never a
     *         namespace's inode) when there are no brackets or the number does not parse
     */
    static long namespaceInode(String target) {
        int open = target.indexOf('[');
        int close = target.indexOf(']');
        if (open < 0 || close < open) {
            return 0;
        }
        try {
            return Long.parseLong(target.substring(open + 1, close));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
