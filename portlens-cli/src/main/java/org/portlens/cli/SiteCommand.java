package org.portlens.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.portlens.model.PortRange;
import org.portlens.web.Messages;
import org.portlens.web.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "site",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes the whole reference as static files for any web server: a page per port (port/N/index.html), the search (run in the browser over search-index.json), sitemap.xml, 404.html. The registry part only: no live answers.",
            "",
            "The site is built beside DIR and moved into place when complete; DIR must be new, empty, or an earlier site."
        })
final class SiteCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the site goes.")
    Path out;

    @Option(
            names = "--ports",
            paramLabel = "RANGE",
            defaultValue = "0-65535",
            description = "The ports that get a page (default: ${DEFAULT-VALUE}).")
    String ports;

    @Option(
            names = "--lang",
            paramLabel = "LANG",
            defaultValue = "en",
            description = "The language of the pages' fixed text: en or it (default: ${DEFAULT-VALUE}).")
    String lang;

    @Option(
            names = "--base-url",
            paramLabel = "URL",
            defaultValue = "http://localhost/",
            description = "Where the site will be served, for sitemap.xml (default: ${DEFAULT-VALUE}).")
    String baseUrl;

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Messages.LANGUAGES.contains(lang)) {
            throw new InputException(
                    "--lang must be one of " + String.join(", ", Messages.LANGUAGES) + ", got '" + lang + "'");
        }
        if (!baseUrl.matches("https?://[^\\s\"<>]+")) {
            throw new InputException("--base-url must be an http or https address, got '" + baseUrl + "'");
        }
        PortRange range;
        try {
            range = PortRange.parse(ports);
        } catch (IllegalArgumentException e) {
            throw new InputException("--ports: " + e.getMessage());
        }
        Site.Result r;
        try {
            r = Site.build(
                    out,
                    Env.registry(common.dataDir, err).registry(),
                    range,
                    lang,
                    baseUrl,
                    Version.number(),
                    Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new InputException(e.getMessage());
        }
        o.println("portlens site: " + r.pages() + " port pages, " + (r.bytes() / (1024 * 1024)) + " MB, in "
                + out.toAbsolutePath().normalize() + " (" + r.took().toMillis() + " ms)");
        o.flush();
        return ExitCodes.OK;
    }
}
