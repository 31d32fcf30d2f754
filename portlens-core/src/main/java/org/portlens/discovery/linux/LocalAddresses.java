package org.portlens.discovery.linux;

import java.util.LinkedHashSet;
import java.util.Set;
import org.portlens.internal.Addresses;

/**
 * The addresses a network namespace owns, from its {@code net/fib_trie} (IPv4: the leaves marked
 * {@code /32 host LOCAL}) and {@code net/if_inet6} (IPv6: one address per line, 32 hex digits), as
 * portlens prints addresses. Works on the text alone so it can be tested on recorded files. Stateless;
 * safe from any thread.
 */
final class LocalAddresses {

    private LocalAddresses() {}

    /**
     * Parses the two files; lines it cannot read are skipped.
     *
     * @param fibTrie the content of {@code net/fib_trie}; empty when unreadable
     * @param ifInet6 the content of {@code net/if_inet6}; empty without IPv6
     * @return the addresses, IPv4 first, each once
     */
    static Set<String> parse(String fibTrie, String ifInet6) {
        Set<String> out = new LinkedHashSet<>();
        String leaf = null;
        for (String raw : fibTrie.split("\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("|-- ")) {
                leaf = line.substring(4).strip();
            } else if (leaf != null && line.startsWith("/32 host LOCAL")) {
                out.add(leaf);
            } else if (line.startsWith("+-- ") || line.endsWith(":")) {
                leaf = null;
            }
        }
        for (String raw : ifInet6.split("\n", -1)) {
            String[] f = raw.strip().split("\\s+");
            if (f.length > 0 && f[0].length() == 32 && f[0].chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                byte[] a = new byte[16]; // network order, unlike /proc/net/tcp6's words
                for (int i = 0; i < 16; i++) {
                    a[i] = (byte) ((Addresses.hexDigit(f[0].charAt(2 * i)) << 4)
                            | Addresses.hexDigit(f[0].charAt(2 * i + 1)));
                }
                out.add(Addresses.format(a));
            }
        }
        return out;
    }
}
