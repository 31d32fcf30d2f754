package org.portlens.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * IANA's registry XML as bundled in the source tree (src/main/iana, the file the build compiles
 * into iana.bin), read and parsed once per test JVM, and cut-down variants of it.
 */
final class IanaFixtures {

    /** Relative to the module directory, where surefire runs. */
    static final Path XML = Path.of("src/main/iana/service-names-port-numbers.xml");

    static final int RECORDS = 14_533;
    static final int PEOPLE = 5_615;
    static final String UPDATED = "2026-08-17";

    private static byte[] xml;
    private static ParsedRegistry parsed;
    private static Registry registry;

    private IanaFixtures() {}

    static synchronized byte[] xml() {
        if (xml == null) {
            try {
                xml = Files.readAllBytes(XML);
            } catch (IOException e) {
                throw new UncheckedIOException("run the tests from the portlens-core directory", e);
            }
        }
        return xml.clone();
    }

    static synchronized ParsedRegistry parsed() {
        if (parsed == null) {
            parsed = IanaXmlParser.parse(xml());
        }
        return parsed;
    }

    /** The parsed XML, encoded and decoded: what portlens looks things up in. */
    static synchronized Registry registry() {
        if (registry == null) {
            registry = RegistryCodec.decode(
                    RegistryCodec.encode(parsed(), new RegistryCodec.Metadata(UPDATED, XML.toString(), "", "")));
        }
        return registry;
    }

    static String xmlText() {
        return new String(xml(), StandardCharsets.UTF_8);
    }

    /** The real XML's header, its first {@code n} records, and the closing tag: well-formed but partial. */
    static byte[] withFirstRecords(int n) {
        String text = xmlText();
        int end = text.indexOf("<record");
        for (int i = 0; i < n; i++) {
            end = text.indexOf("</record>", end) + "</record>".length();
        }
        return (text.substring(0, end) + "\n</registry>\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The first {@code bytes} bytes of the real XML: a download cut off mid-way. */
    static byte[] truncated(int bytes) {
        return Arrays.copyOf(xml(), bytes);
    }
}
