package org.portlens.probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recognises one kind of answer: a regular expression (Java syntax) applied to the response decoded
 * as ISO-8859-1 (so each byte is one character and {@code \x00} matches a NUL byte), the protocol it
 * proves, and templates that lift the product, version and details out of the match.
 *
 * <p>Templates: {@code $1}…{@code $9} or {@code ${12}} insert a group; {@code $P(1)} only its printable
 * characters; {@code $I(1)} (or {@code $I(1,">")}, {@code $I(1,"<")} little-endian) the group's bytes as
 * an unsigned number; {@code $SUBST(1,"_",".")} the group with one text replaced; {@code $$} a dollar.
 * A field whose template yields nothing is left out.
 *
 * <p>Part of a {@link Signature}; made by {@link SignatureFile} and {@link NmapProbes}. Immutable;
 * safe from any thread.
 *
 * @param protocol the protocol a match proves ("http", "ssh")
 * @param soft     a soft match says "probably this": the prober goes on with the probes that can
 *                 confirm the protocol, and reports it unconfident if none does
 * @param pattern  the expression; {@code find()} is used, so anchor with {@code ^} where meant
 * @param fields   "product", "version" and detail keys, each to a template, in order
 * @param extracts further expressions tried on the same response when this one matched, each
 *                 filling fields not yet filled
 * @param origin   where it was defined ("probes.txt:40")
 */
public record ResponseMatcher(
        String protocol,
        boolean soft,
        Pattern pattern,
        Map<String, String> fields,
        List<Extract> extracts,
        String origin) {

    /**
     * Copies the fields and extracts.
     *
     * @param protocol the protocol a match proves
     * @param soft     whether a match only says "probably this"
     * @param pattern  the expression, searched with {@code find()}
     * @param fields   "product", "version" and detail keys, each to a template; copied in order
     * @param extracts further expressions tried when this one matched; copied
     * @param origin   where it was defined
     */
    public ResponseMatcher {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        extracts = List.copyOf(extracts);
    }

    /** Adds an extract (returns a new matcher). */
    ResponseMatcher with(Extract extract) {
        List<Extract> all = new ArrayList<>(extracts);
        all.add(extract);
        return new ResponseMatcher(protocol, soft, pattern, fields, all, origin);
    }

    /**
     * An extra expression for optional facts that a single expression would make unreadable (an HTTP
     * {@code Server} header, a page title).
     *
     * <p>Immutable; safe from any thread.
     *
     * @param pattern the expression, searched anywhere in the response
     * @param fields  templates as for the matcher
     * @param origin  where it was defined
     */
    public record Extract(Pattern pattern, Map<String, String> fields, String origin) {
        /**
         * Copies the fields.
         *
         * @param pattern the expression, searched anywhere in the response
         * @param fields  templates as for the matcher; copied in order
         * @param origin  where it was defined
         */
        public Extract {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }
}
