package org.portlens.web;

import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The fixed text of the pages in one language, from the resource bundles {@code
 * org/portlens/web/i18n/messages*.properties}. A key missing from a translation falls back to English.
 * Patterns: {@code {0}} for a value, {@code ''} for an apostrophe (as in MessageFormat, so a
 * translator's tools read them).
 *
 * <p>Immutable; safe from any thread.
 */
public final class Messages {

    /** The languages offered, the default first. A translator adds a bundle and a code here. */
    public static final List<String> LANGUAGES = List.of("en", "it");

    private static final String BUNDLE = "org.portlens.web.i18n.messages";
    private static final ConcurrentMap<String, Messages> CACHE = new ConcurrentHashMap<>();

    private final String lang;
    private final ResourceBundle bundle;
    private final ConcurrentMap<String, String> texts = new ConcurrentHashMap<>();
    private static final Object[] NONE = new Object[0];

    private Messages(String lang) {
        this.lang = lang;
        this.bundle = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(lang), Control.INSTANCE);
    }

    /**
     * The messages of one language.
     *
     * @param lang one of {@link #LANGUAGES}; anything else gives English
     * @return the messages
     */
    public static Messages of(String lang) {
        String l = LANGUAGES.contains(lang) ? lang : LANGUAGES.get(0);
        return CACHE.computeIfAbsent(l, Messages::new);
    }

    /**
     * The language to answer in: {@code ?lang=} when it names one offered, else a cookie, else the
     * first offered language of an {@code Accept-Language} header (by its q values), else English.
     *
     * @param query          the {@code lang} query parameter, or null
     * @param cookie         the language cookie, or null
     * @param acceptLanguage the header, or null
     * @return one of {@link #LANGUAGES}
     */
    public static String negotiate(@Nullable String query, @Nullable String cookie, @Nullable String acceptLanguage) {
        if (query != null && LANGUAGES.contains(query)) {
            return query;
        }
        if (cookie != null && LANGUAGES.contains(cookie)) {
            return cookie;
        }
        if (acceptLanguage != null && acceptLanguage.length() <= 512) {
            try {
                List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
                String best = Locale.lookupTag(ranges, LANGUAGES);
                if (best != null) {
                    return best;
                }
            } catch (IllegalArgumentException e) {
                // a malformed header counts as absent
            }
        }
        return LANGUAGES.get(0);
    }

    /**
     * This language's code.
     *
     * @return such as {@code it}
     */
    public String lang() {
        return lang;
    }

    /**
     * A fixed text.
     *
     * @param key its key in the bundle
     * @return the text ({@code ''} read as one apostrophe; a {@code {0}} stays, for the page script
     *     to fill), or the key itself when no bundle has it (a missing key shows, not a blank)
     */
    public String t(String key) {
        return texts.computeIfAbsent(key, k -> format(raw(k), NONE));
    }

    private String raw(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    /**
     * A text with values filled in for {@code {0}}, {@code {1}}, ... Numbers are written as they are
     * ({@code 3640}, not {@code 3,640}).
     *
     * @param key  its key in the bundle
     * @param args the values
     * @return the text
     */
    public String f(String key, Object... args) {
        return format(raw(key), args);
    }

    /**
     * The bundles' patterns: {@code {N}} is the N-th value (kept as written when there is none),
     * {@code ''} one apostrophe, and a lone apostrophe is itself. The subset of MessageFormat the
     * bundles use, without its lock or its number formats.
     */
    static String format(String pattern, Object[] args) {
        StringBuilder out = new StringBuilder(pattern.length() + 16);
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '\'' && i + 1 < n && pattern.charAt(i + 1) == '\'') {
                out.append('\'');
                i++;
            } else if (c == '{'
                    && i + 2 < n
                    && Character.isDigit(pattern.charAt(i + 1))
                    && pattern.charAt(i + 2) == '}') {
                int a = pattern.charAt(i + 1) - '0';
                if (a < args.length) {
                    out.append(args[a]);
                } else {
                    out.append(pattern, i, i + 3);
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Bundles read as UTF-8 (Java 9+ does so for properties) with English as the only fallback. */
    private static final class Control extends ResourceBundle.Control {
        static final Control INSTANCE = new Control();

        @Override
        public List<String> getFormats(String baseName) {
            return ResourceBundle.Control.FORMAT_PROPERTIES;
        }

        @Override
        public @Nullable Locale getFallbackLocale(String baseName, Locale locale) {
            return null;
        }
    }
}
