package org.portlens.registry;

import java.util.Locale;

/**
 * A reference in a registry record.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param type {@code rfc}, {@code draft}, {@code uri}, {@code text} or {@code note}
 * @param data the RFC or draft name, the URI, or the text
 */
public record Reference(String type, String data) {

    /**
     * A link for the reference, or empty when it is plain text.
     *
     * @return an RFC Editor or IETF Datatracker link, the URI itself, or empty for {@code text} and {@code note}
     */
    public String url() {
        switch (type) {
            case "rfc":
                return "https://www.rfc-editor.org/rfc/" + data.toLowerCase(Locale.ROOT);
            case "draft":
                return "https://datatracker.ietf.org/doc/" + data;
            case "uri":
                return data;
            default:
                return "";
        }
    }

    /**
     * "RFC 6335", the draft name, the URI, or the text.
     *
     * @return the reference as shown to a person
     */
    public String display() {
        if (type.equals("rfc") && data.toLowerCase(Locale.ROOT).startsWith("rfc")) {
            return "RFC " + data.substring(3);
        }
        return data;
    }
}
