package org.portlens.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Decoding the hex addresses of /proc/net files and printing addresses the way people read them. */
public final class Addresses {

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Addresses() {}

    /**
     * Decodes a /proc/net address: 8 hex digits (IPv4) or 32 (IPv6), each 32-bit word printed in the
     * kernel's byte order.
     *
     * @return 4 or 16 bytes in network order
     * @throws IllegalArgumentException if the text is not 8 or 32 hex digits
     */
    public static byte[] decodeProcHex(CharSequence hex, int start, int end) {
        int len = end - start;
        if (len != 8 && len != 32) {
            throw new IllegalArgumentException("address must be 8 or 32 hex digits, got " + len);
        }
        byte[] out = new byte[len / 2];
        for (int word = 0; word < len / 8; word++) {
            for (int b = 0; b < 4; b++) {
                int pos = start + word * 8 + b * 2;
                int value = (hexDigit(hex.charAt(pos)) << 4) | hexDigit(hex.charAt(pos + 1));
                int target = LITTLE_ENDIAN ? word * 4 + (3 - b) : word * 4 + b;
                out[target] = (byte) value;
            }
        }
        return out;
    }

    /** The value of one hex digit. */
    public static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        throw new IllegalArgumentException("not a hex digit: '" + c + "'");
    }

    /** True for ::ffff:a.b.c.d. */
    public static boolean isIpv4Mapped(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }

    /**
     * The text form of an address, RFC 5952: dotted IPv4; IPv6 in lower case without leading zeros, the
     * longest run of two or more zero groups (the leftmost of equal runs) as {@code ::}, and an
     * IPv4-mapped address as {@code ::ffff:192.0.2.1}. The one formatter for every address portlens prints.
     *
     * @return the text; the bytes are not checked beyond their length
     * @throws IllegalArgumentException when {@code a} is neither 4 nor 16 bytes
     */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return dotted(a, 0);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + a.length);
        }
        if (isIpv4Mapped(a)) {
            return "::ffff:" + dotted(a, 12);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[i * 2] & 0xff) << 8) | (a[i * 2 + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] == 0) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** RFC 5952 text of an address ({@link #format(byte[])}); never a host name, never a scope id. */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /** {@code 127.0.0.1:3640} or {@code [::1]:3640}: an address in RFC 5952 text with its port. */
    public static String hostPort(InetAddress address, int port) {
        return hostPort(format(address), port);
    }

    /** {@code address:port}, the address in brackets when it is IPv6 text (holds a colon). */
    public static String hostPort(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /**
     * The IPv4 address inside an IPv4-mapped one ({@code ::ffff:a.b.c.d} to a.b.c.d), else the address
     * as it is: for sockets, whose mapped addresses are IPv4 peers of an IPv6 socket.
     *
     * @return 4 bytes for a mapped address, else {@code a} itself
     */
    public static byte[] unmapped(byte[] a) {
        return isIpv4Mapped(a) ? Arrays.copyOfRange(a, 12, 16) : a;
    }

    private static String dotted(byte[] a, int at) {
        return (a[at] & 0xff) + "." + (a[at + 1] & 0xff) + "." + (a[at + 2] & 0xff) + "." + (a[at + 3] & 0xff);
    }

    /** Every byte zero: 0.0.0.0 or ::. */
    public static boolean isWildcard(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** 127.0.0.0/8, ::1, or ::ffff:127.x.x.x. */
    public static boolean isLoopback(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) == 127;
        }
        if (isIpv4Mapped(a)) {
            return (a[12] & 0xff) == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[15] == 1;
    }

    /** An IP literal as an InetAddress, with no name lookup. */
    public static InetAddress literal(String ip) {
        if (!isLiteral(ip)) {
            throw new IllegalArgumentException("not an IP address literal: '" + ip + "'");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + ip + "'", e);
        }
    }

    /**
     * Whether {@code text} is an IPv4 dotted quad or an IPv6 address in text form (hex groups, colons,
     * an optional dotted quad at the end): the shapes {@link InetAddress#getByName} parses without a
     * name lookup. Anything else, {@code 1.example.com} included, is not.
     */
    public static boolean isLiteral(String text) {
        if (text.indexOf(':') >= 0) {
            return text.matches("[0-9A-Fa-f:.]+") && text.indexOf(":::") < 0;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
