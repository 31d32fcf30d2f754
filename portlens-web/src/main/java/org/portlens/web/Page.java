package org.portlens.web;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What every page's frame needs: the language, the links, and whether the live parts may be shown.
 *
 * @param m          the fixed text in the page's language
 * @param links      where links point
 * @param title      the page's title
 * @param path       this page's path without a language parameter, for the language links
 * @param authorized whether the reader may see the live parts (loopback, or the token was given)
 * @param version    portlens's version
 * @param registryDate the date of the registry in use
 * @param scriptData a value for the page script (data-* attribute), or null
 */
public record Page(
        Messages m,
        Links links,
        String title,
        String path,
        boolean authorized,
        String version,
        String registryDate,
        @Nullable String scriptData) {

    /** @return the languages offered, for the language switch */
    public List<String> languages() {
        return Messages.LANGUAGES;
    }

    /**
     * This page in another language.
     *
     * @param lang a language code
     * @return the live page with {@code ?lang=}; the static site has one language
     */
    public String inLanguage(String lang) {
        return path + (path.contains("?") ? "&" : "?") + "lang=" + lang;
    }

    /**
     * The name of a language in that language.
     *
     * @param lang a code
     * @return such as {@code Italiano}
     */
    public String languageName(String lang) {
        return Messages.of(lang).t("lang.name");
    }
}
