package org.portlens.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import gg.jte.output.Utf8ByteOutput;
import java.util.List;
import java.util.Map;

/**
 * The pages' templates (src/main/jte), compiled at build time to classes in this jar: HTML content
 * type, so every value is escaped for where it lands.
 *
 * <p>Thread-safe.
 */
final class Templates {

    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private Templates() {}

    static String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(16 * 1024);
        ENGINE.render(template, params, out);
        return out.toString();
    }

    static String index(Page page, Search search) {
        return render("index.jte", Map.of("page", page, "search", search));
    }

    static String port(Page page, PortView v) {
        return render("port.jte", Map.of("page", page, "v", v));
    }

    /** A port page as UTF-8 bytes, rendered straight to them (no String to encode afterwards). */
    static byte[] portBytes(Page page, PortView v) {
        Utf8ByteOutput out = new Utf8ByteOutput(16 * 1024);
        ENGINE.render("port.jte", Map.of("page", page, "v", v), out);
        return out.toByteArray();
    }

    static String listeners(Page page, List<ListenerView> rows, boolean policy, String readAt) {
        return render("listeners.jte", Map.of("page", page, "rows", rows, "policy", policy, "readAt", readAt));
    }

    static String error(Page page, int status, String message) {
        return render("error.jte", Map.of("page", page, "status", status, "message", message));
    }
}
