package org.portlens.probe;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a TLS handshake showed. Immutable; safe from any thread.
 *
 * @param version    negotiated protocol ("TLSv1.3")
 * @param cipher     negotiated cipher suite
 * @param alpn       negotiated ALPN protocol ("h2", "http/1.1"), or empty
 * @param subject    the leaf certificate's subject DN
 * @param issuer     its issuer DN
 * @param sans       subject alternative names (DNS and IP)
 * @param notBefore  validity start, or null without a certificate (an anonymous cipher)
 * @param notAfter   validity end, or null without a certificate
 * @param expired    notAfter is in the past
 * @param selfSigned subject equals issuer
 */
public record TlsInfo(
        String version,
        String cipher,
        String alpn,
        String subject,
        String issuer,
        List<String> sans,
        @Nullable Instant notBefore,
        @Nullable Instant notAfter,
        boolean expired,
        boolean selfSigned) {
    /**
     * Copies the names.
     *
     * @param version    negotiated protocol
     * @param cipher     negotiated cipher suite
     * @param alpn       negotiated ALPN protocol, or empty
     * @param subject    the leaf certificate's subject DN, or empty without a certificate
     * @param issuer     its issuer DN, or empty without a certificate
     * @param sans       subject alternative names (DNS and IP); copied
     * @param notBefore  validity start, or null without a certificate
     * @param notAfter   validity end, or null without a certificate
     * @param expired    notAfter is in the past
     * @param selfSigned subject equals issuer
     */
    public TlsInfo {
        sans = List.copyOf(sans);
    }
}
