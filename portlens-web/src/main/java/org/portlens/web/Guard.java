package org.portlens.web;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The server's rules of who may ask what, as pure functions of the request's headers, so that they are
 * tested without a server: the DNS-rebinding guard (the {@code Host} header on a loopback server), the
 * token, and the cross-site check of state-changing requests.
 *
 * <p>Immutable; safe from any thread.
 */
final class Guard {

    /** The cookie that carries the token after {@code /login?token=}. */
    static final String TOKEN_COOKIE = "portlens_token";

    /** The header every answer carries: scripts and styles from this server only, no frames, no plugins. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    // compiled once: every request's Host header passes through them
    private static final java.util.regex.Pattern PORT_SUFFIX = java.util.regex.Pattern.compile(":\\d{1,5}");
    private static final java.util.regex.Pattern LOOPBACK_V4 = java.util.regex.Pattern.compile("127(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern V6_LITERAL = java.util.regex.Pattern.compile("[0-9a-f:.]+");

    private final boolean loopback;
    private final byte @Nullable [] token;

    /**
     * @param loopback whether the server listens on a loopback address only
     * @param token    the access token, or null when none is required
     */
    Guard(boolean loopback, @Nullable String token) {
        this.loopback = loopback;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** @return whether a token is required for the live parts */
    boolean tokenRequired() {
        return token != null;
    }

    /**
     * The DNS-rebinding guard: a loopback server answers only requests addressed to a loopback name or
     * address, so that a web page whose name was pointed at 127.0.0.1 cannot read this server's answers.
     *
     * @param host the {@code Host} header, or null
     * @return null when allowed, else why not (one line)
     */
    @Nullable
    String checkHost(@Nullable String host) {
        if (!loopback) {
            return null;
        }
        if (host == null || host.isEmpty()) {
            return "a request without a Host header is refused on a loopback server";
        }
        String name = hostName(host);
        if (name != null && isLoopbackName(name)) {
            return null;
        }
        return "Host " + shorten(host) + " is not a loopback name or address: a loopback server answers only"
                + " localhost, 127.0.0.1 or [::1] (a guard against DNS rebinding)";
    }

    /** The name or address of a Host header without its port; null when malformed. */
    static @Nullable String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return null;
            }
            String rest = h.substring(end + 1);
            if (!rest.isEmpty() && !PORT_SUFFIX.matcher(rest).matches()) {
                return null;
            }
            return h.substring(1, end);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (!PORT_SUFFIX.matcher(h.substring(colon)).matches()) {
                return null;
            }
            h = h.substring(0, colon);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    static boolean isLoopbackName(String name) {
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        if (LOOPBACK_V4.matcher(name).matches()) {
            return true;
        }
        if (name.contains(":") && V6_LITERAL.matcher(name).matches()) {
            try {
                // a literal: no lookup happens for an address written as one
                return InetAddress.getByName(name).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Whether a request carries the token, in an {@code Authorization: Bearer} header or the cookie.
     *
     * @param authorization the Authorization header, or null
     * @param cookie        the token cookie, or null
     * @return true when no token is required, or when one of them matches
     */
    boolean authorized(@Nullable String authorization, @Nullable String cookie) {
        if (token == null) {
            return true;
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (matches(authorization.substring(7).strip())) {
                return true;
            }
        }
        return cookie != null && matches(cookie);
    }

    /**
     * Compares a presented token in time that does not depend on where it differs.
     *
     * @param presented what the client sent
     * @return whether it is the token
     */
    boolean matches(String presented) {
        return token != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cross-site check of a POST: a browser says where a request comes from (Sec-Fetch-Site, Origin);
     * a request another site made it send is refused. A client that is not a browser (curl) sends
     * neither header and is let through: it cannot be made to act for someone else.
     *
     * @param secFetchSite the Sec-Fetch-Site header, or null
     * @param origin       the Origin header, or null
     * @param host         the Host header, or null
     * @return null when allowed, else why not
     */
    @Nullable
    static String checkCrossSite(@Nullable String secFetchSite, @Nullable String origin, @Nullable String host) {
        if (secFetchSite != null && !secFetchSite.equals("same-origin") && !secFetchSite.equals("none")) {
            return "cross-site request refused (Sec-Fetch-Site: " + shorten(secFetchSite) + ")";
        }
        if (origin != null) {
            String o = origin.toLowerCase(Locale.ROOT);
            String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
            if (!o.equals("http://" + h) && !o.equals("https://" + h)) {
                return "cross-site request refused (Origin " + shorten(origin) + " is not this server)";
            }
        }
        return null;
    }

    static String shorten(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder("'");
        for (char c : t.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.append('\'').toString();
    }
}
