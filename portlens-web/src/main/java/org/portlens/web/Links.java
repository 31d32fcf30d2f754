package org.portlens.web;

import org.portlens.model.Transport;

/**
 * Where a page's links point: absolute paths on the live server, relative paths in the static site (so
 * that it works from any directory of any web server).
 *
 * <p>Immutable; safe from any thread.
 */
public final class Links {

    private final String root;
    private final boolean live;

    private Links(String root, boolean live) {
        this.root = root;
        this.live = live;
    }

    /** Links of the live server: {@code /port/3640}. */
    static Links server() {
        return new Links("/", true);
    }

    /**
     * Links of a static page {@code depth} directories below the site's root: {@code ../../port/3640/}.
     *
     * @param depth 0 for the root's index.html, 2 for port/N/index.html
     */
    static Links site(int depth) {
        return new Links(depth == 0 ? "./" : "../".repeat(depth), false);
    }

    /**
     * Links of a static page that may be served at any path (404.html): from the site's root path.
     *
     * @param rootPath the path the site is served under, starting and ending with {@code /}
     */
    static Links rooted(String rootPath) {
        return new Links(rootPath, false);
    }

    /** @return whether these are the live server's links */
    public boolean live() {
        return live;
    }

    /** @return the search page */
    public String home() {
        return root;
    }

    /**
     * A port's page.
     *
     * @param port 0-65535
     * @return its address
     */
    public String port(int port) {
        return root + "port/" + port + (live ? "" : "/");
    }

    /**
     * A port's page for one transport (the static site has one page per port: its anchor).
     *
     * @param port      0-65535
     * @param transport tcp or udp
     * @return its address
     */
    public String port(int port, Transport transport) {
        return live ? root + "port/" + port + "/" + transport.label() : port(port) + "#" + transport.label();
    }

    /**
     * A static file (style sheet, script, icon).
     *
     * @param file its name
     * @return its address
     */
    public String asset(String file) {
        return root + "static/" + file;
    }

    /** @return the listeners page (live only) */
    public String listeners() {
        return root + "listeners";
    }

    /** @return the search index of the static site, or the search API of the live server */
    public String searchSource() {
        return live ? root + "api/search" : root + "search-index.json";
    }
}
