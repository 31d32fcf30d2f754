package org.portlens.web;

import java.text.MessageFormat;
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
    private final ConcurrentMap<String, MessageFormat> formats = new ConcurrentHashMap<>();

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
     * @return the text, or the key itself when no bundle has it (a missing key shows, not a blank)
     */
    public String t(String key) {
        // every text is a MessageFormat pattern ('' for an apostrophe); {0} without a value stays {0},
        // for the page script to fill
        return f(key);
    }

    private String raw(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }

    /**
     * A text with values filled in ({@link MessageFormat}; numbers are written without grouping).
     *
     * @param key  its key in the bundle
     * @param args the values for {0}, {1}, ...
     * @return the text
     */
    public String f(String key, Object... args) {
        MessageFormat mf = formats.computeIfAbsent(key, k -> new MessageFormat(raw(k), Locale.ROOT));
        Object[] plain = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            // port numbers read 3640, not 3,640
            plain[i] = args[i] instanceof Number ? String.valueOf(args[i]) : args[i];
        }
        synchronized (mf) {
            return mf.format(plain);
        }
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
