package org.portlens.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MessagesTest {

    static Properties bundle(String suffix) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream("i18n/messages" + suffix + ".properties")) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyLanguageHasEveryKeyAndTheSamePlaceholders() throws IOException {
        Properties en = bundle("");
        for (String lang : Messages.LANGUAGES) {
            if (lang.equals("en")) {
                continue;
            }
            Properties other = bundle("_" + lang);
            assertThat(new TreeSet<>(other.stringPropertyNames()))
                    .as(lang)
                    .isEqualTo(new TreeSet<>(en.stringPropertyNames()));
            for (String k : en.stringPropertyNames()) {
                assertThat(placeholders(other.getProperty(k)))
                        .as(lang + " " + k)
                        .isEqualTo(placeholders(en.getProperty(k)));
            }
        }
    }

    @Test
    void everyKeyTheTemplatesNameExists() throws IOException {
        Properties en = bundle("");
        Pattern key = Pattern.compile("m\\.[tf]\\(\"([a-zA-Z.-]*[a-zA-Z-])\"");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "jte"))) {
            for (Path f : files.toList()) {
                Matcher m = key.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(used).allSatisfy(k -> assertThat(en.getProperty(k)).as(k).isNotNull());
        // built keys: range, status, uses and scope by enum
        for (String k : new String[] {
            "range.SYSTEM",
            "range.USER",
            "range.DYNAMIC",
            "uses.common.SYSTEM",
            "uses.common.USER",
            "uses.common.DYNAMIC",
            "status.assigned",
            "status.registered-unused",
            "status.reserved",
            "status.unassigned",
            "scope.ALL",
            "scope.LOOPBACK",
            "scope.ADDRESS"
        }) {
            assertThat(en.getProperty(k)).as(k).isNotNull();
        }
    }

    private static Set<String> placeholders(String s) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\{\\d}").matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void apostrophesShowOnceAndValuesFillTheirPlaces() {
        assertThat(Messages.of("en").t("iana.heading")).isEqualTo("What IANA's registry says");
        assertThat(Messages.of("en").t("search.hint")).contains("that port's page");
        assertThat(Messages.of("it").t("range.heading")).isEqualTo("L'intervallo");
        assertThat(Messages.format("{0} and {1}, {2} ''x'' it's", new Object[] {1, "b"}))
                .isEqualTo("1 and b, {2} 'x' it's");
        for (String lang : Messages.LANGUAGES) {
            Messages m = Messages.of(lang);
            for (String k :
                    java.util.List.of("feedback.totals", "listeners.count", "iana.heading", "status.reserved")) {
                assertThat(m.t(k)).as(lang + " " + k).doesNotContain("''");
            }
        }
    }

    @Test
    void negotiatesQueryThenCookieThenAcceptLanguage() {
        assertThat(Messages.negotiate("it", "en", "en")).isEqualTo("it");
        assertThat(Messages.negotiate("xx", "it", "en")).isEqualTo("it");
        assertThat(Messages.negotiate(null, null, "de-DE,it;q=0.8,en;q=0.5")).isEqualTo("it");
        assertThat(Messages.negotiate(null, null, "en;q=0.4,it;q=0.9")).isEqualTo("it");
        assertThat(Messages.negotiate(null, null, "fr")).isEqualTo("en");
        assertThat(Messages.negotiate(null, null, ";;;garbage===")).isEqualTo("en");
        assertThat(Messages.negotiate(null, null, null)).isEqualTo("en");
    }

    @Test
    void formatsPortsWithoutGroupingAndQuotesAsWritten() {
        assertThat(Messages.of("en").f("port.title", 65535)).isEqualTo("What port 65535 is");
        assertThat(Messages.of("it").f("port.title", 3640)).isEqualTo("Cos'è la porta 3640");
        assertThat(Messages.of("xx").lang()).isEqualTo("en");
        assertThat(Messages.of("it").t("no.such.key")).isEqualTo("no.such.key");
    }
}
