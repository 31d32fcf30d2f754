package org.portlens.policy;

import java.net.InetAddress;
import java.util.Locale;
import org.portlens.internal.Addresses;
import org.portlens.model.BindScope;
import org.portlens.model.Endpoint;

/**
 * Where a listener may be bound: loopback only, one address, or all interfaces. A bind allows a
 * socket bound as narrowly or more narrowly: loopback allows loopback; an address allows that
 * address and loopback; all allows anything.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param scope   loopback, one address, or all interfaces
 * @param address the address for {@link BindScope#ADDRESS} (as portlens prints it: {@code 192.0.2.10},
 *                {@code 2001:db8::1}); empty for the other scopes
 */
public record Bind(BindScope scope, String address) {

    /**
     * Checks that an address comes with {@link BindScope#ADDRESS} and only with it.
     *
     * @param scope   loopback, one address, or all interfaces
     * @param address the address for {@link BindScope#ADDRESS}, else empty
     * @throws IllegalArgumentException when the address is missing or given for another scope
     */
    public Bind {
        if ((scope == BindScope.ADDRESS) == address.isEmpty()) {
            throw new IllegalArgumentException(
                    scope == BindScope.ADDRESS
                            ? "a bind to one address needs the address"
                            : "only an address bind has an address");
        }
    }

    /**
     * Loopback only.
     *
     * @return a bind of {@link BindScope#LOOPBACK}
     */
    public static Bind loopback() {
        return new Bind(BindScope.LOOPBACK, "");
    }

    /**
     * All interfaces.
     *
     * @return a bind of {@link BindScope#ALL}
     */
    public static Bind all() {
        return new Bind(BindScope.ALL, "");
    }

    /**
     * Parses {@code loopback}, {@code all} or an address, as in a policy file.
     *
     * @param text {@code loopback}, {@code all} (any case), or an IPv4 or IPv6 address
     * @return the bind
     * @throws IllegalArgumentException when the text is none of these (no name is looked up)
     */
    public static Bind parse(String text) {
        String t = text.strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "loopback":
                return loopback();
            case "all":
                return all();
            default:
                if (t.startsWith("[") && t.endsWith("]")) {
                    t = t.substring(1, t.length() - 1);
                }
                if (!Addresses.isLiteral(t)) {
                    throw new IllegalArgumentException(
                            "bind must be loopback, all or an IP address, got '" + text + "'");
                }
                InetAddress a = Addresses.literal(t);
                if (a.isAnyLocalAddress()) {
                    return all(); // 0.0.0.0 and :: are every interface, as a socket bound there is
                }
                // the text listeners are shown in (RFC 5952), so that 2001:DB8:0::1 matches 2001:db8::1
                return new Bind(BindScope.ADDRESS, Addresses.format(a));
        }
    }

    /**
     * The bind of a socket, as {@link Baseline} writes it.
     *
     * @param local where the socket is bound
     * @return loopback, all, or the socket's address
     */
    public static Bind of(Endpoint local) {
        return local.scope() == BindScope.ADDRESS
                ? new Bind(BindScope.ADDRESS, local.address())
                : new Bind(local.scope(), "");
    }

    /**
     * Whether a socket bound there is as narrow as this bind or narrower.
     *
     * @param local where the socket is bound
     * @return true for a socket no more exposed than this bind allows
     */
    public boolean allows(Endpoint local) {
        switch (scope) {
            case ALL:
                return true;
            case LOOPBACK:
                return local.scope() == BindScope.LOOPBACK;
            default:
                return local.scope() == BindScope.LOOPBACK
                        || (local.scope() == BindScope.ADDRESS
                                && local.address().equalsIgnoreCase(address));
        }
    }

    /**
     * {@code loopback}, {@code all} or the address, as in a policy file.
     *
     * @return the text {@link #parse} reads back
     */
    public String label() {
        return scope == BindScope.ADDRESS ? address : scope.label();
    }
}
