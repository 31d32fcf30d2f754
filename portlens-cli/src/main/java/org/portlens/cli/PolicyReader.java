package org.portlens.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.portlens.model.PortRange;
import org.portlens.model.Transport;
import org.portlens.policy.Bind;
import org.portlens.policy.Expect;
import org.portlens.policy.Identity;
import org.portlens.policy.Ignore;
import org.portlens.policy.Netns;
import org.portlens.policy.Policy;
import org.portlens.policy.PolicyFile;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a policy file (docs/policy.md) strictly into the core's {@link Policy}: every problem is
 * one line naming the file, line and column ({@link InputException}, exit code 2). Unknown or
 * misspelt keys, wrong types, out-of-range ports, duplicate keys or entries, an empty file, a file
 * over 32 MB and any YAML alias (anchors and aliases have no use in a policy, and an alias bomb is
 * refused at its first alias) are errors, never ignored.
 */
final class PolicyReader {

    static final List<String> TOP_KEYS = List.of("version", "expect", "ignore");
    static final List<String> EXPECT_KEYS =
            List.of("transport", "port", "bind", "netns", "executable", "unit", "user", "image", "required");
    static final List<String> IGNORE_KEYS =
            List.of("transport", "port", "bind", "netns", "executable", "unit", "user", "image", "reason");

    /** A policy and where each expect entry begins in its file, for findings that point at it. */
    record Document(Path file, Policy policy, Map<Expect, Integer> expectLines, int expectLine) {
        int lineOf(Expect e) {
            return expectLines.getOrDefault(e, expectLine);
        }
    }

    private static final YAMLFactory YAML = yamlFactory();

    private static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setAllowDuplicateKeys(false);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit((int) PolicyFile.MAX_BYTES);
        return YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(20).build())
                .build();
    }

    private final String name;
    private final Path file;
    private JsonParser p;

    private PolicyReader(Path file, JsonParser parser) {
        this.file = file;
        this.name = file.toString();
        this.p = parser;
    }

    /** Reads and checks a policy file. */
    static Document read(Path file) {
        String text;
        try {
            text = PolicyFile.read(file); // bounded: at most PolicyFile.MAX_BYTES, in 10 s
        } catch (NoSuchFileException e) {
            throw new InputException("no policy file at " + file + ": write one with 'portlens baseline -o " + file
                    + "', or give --policy FILE");
        } catch (IOException e) {
            throw new InputException(file + ":1:1: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Parses a policy's text; {@code file} names it in messages. */
    static Document parse(String text, Path file) {
        try (JsonParser parser = YAML.createParser(text)) {
            return new PolicyReader(file, parser).document();
        } catch (InputException e) {
            throw e;
        } catch (IOException e) {
            throw yamlError(file, e);
        }
    }

    private static InputException yamlError(Path file, IOException e) {
        Throwable cause = e.getCause();
        String what;
        if (cause instanceof MarkedYAMLException m && m.getProblem() != null) {
            what = "not valid YAML: " + m.getProblem();
        } else {
            String msg = e instanceof com.fasterxml.jackson.core.JacksonException j
                    ? j.getOriginalMessage()
                    : String.valueOf(e.getMessage());
            what = "not valid YAML: " + msg.lines().findFirst().orElse("");
        }
        JsonLocation at = e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getLocation() : null;
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        int col = at == null ? 1 : Math.max(1, at.getColumnNr());
        return new InputException(file + ":" + line + ":" + col + ": " + oneLine(what));
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private InputException error(JsonLocation at, String message) {
        return new InputException(
                name + ":" + Math.max(1, at.getLineNr()) + ":" + Math.max(1, at.getColumnNr()) + ": " + message);
    }

    private JsonLocation here() {
        return p.currentTokenLocation();
    }

    private JsonToken next() throws IOException {
        JsonToken t = p.nextToken();
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            throw error(
                    here(),
                    "YAML aliases (*" + p.getText() + ") are not allowed in a policy file: write the entry out");
        }
        return t;
    }

    private Document document() throws IOException {
        JsonToken t = next();
        if (t == null || t == JsonToken.VALUE_NULL) {
            throw error(here(), "the policy is empty: expected 'expect:' and/or 'ignore:' (see docs/policy.md)");
        }
        if (t != JsonToken.START_OBJECT) {
            throw error(here(), "a policy is a mapping with 'expect:' and 'ignore:', got " + kind(t));
        }
        List<Expect> expects = new ArrayList<>();
        List<Ignore> ignores = new ArrayList<>();
        Map<Expect, Integer> lines = new LinkedHashMap<>();
        Map<Ignore, Integer> ignoreLines = new HashMap<>();
        int expectLine = 1;
        Map<String, JsonLocation> seen = new HashMap<>();
        while ((t = next()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonLocation at = here();
            checkKey(key, at, TOP_KEYS, "at the top of a policy", seen);
            switch (key) {
                case "version":
                    next();
                    if (!p.currentToken().isScalarValue() || !p.getText().equals("1")) {
                        throw error(here(), "version must be 1, got " + text());
                    }
                    break;
                case "expect":
                    expectLine = at.getLineNr();
                    list(() -> {
                        JsonLocation start = here();
                        Expect e = expect(start);
                        Integer before = lines.putIfAbsent(e, start.getLineNr());
                        if (before != null) {
                            throw error(start, "duplicate expect entry: the same as the one at line " + before);
                        }
                        expects.add(e);
                    });
                    break;
                default:
                    list(() -> {
                        JsonLocation start = here();
                        Ignore i = ignore(start);
                        Integer before = ignoreLines.putIfAbsent(i, start.getLineNr());
                        if (before != null) {
                            throw error(start, "duplicate ignore entry: the same as the one at line " + before);
                        }
                        ignores.add(i);
                    });
            }
        }
        if (next() != null) {
            throw error(here(), "only one YAML document is allowed in a policy file");
        }
        if (seen.isEmpty()) {
            throw error(here(), "the policy is empty: expected 'expect:' and/or 'ignore:' (see docs/policy.md)");
        }
        return new Document(file, new Policy(expects, ignores), lines, expectLine);
    }

    private interface Item {
        void read() throws IOException;
    }

    private void list(Item item) throws IOException {
        JsonToken t = next();
        if (t == JsonToken.VALUE_NULL) {
            return; // "expect:" with nothing under it: no entries
        }
        if (t != JsonToken.START_ARRAY) {
            throw error(here(), "expected a list of entries (lines starting with '- '), got " + kind(t));
        }
        while ((t = next()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw error(here(), "each entry is a mapping such as '- port: 22', got " + kind(t));
            }
            item.read();
        }
    }

    /** The fields of one entry, read after its START_OBJECT. */
    private final class Fields {
        final Map<String, String> values = new HashMap<>();
        final Map<String, JsonLocation> where = new HashMap<>();
        final JsonLocation start;

        Fields(JsonLocation start, List<String> keys, String what) throws IOException {
            this.start = start;
            JsonToken t;
            while ((t = next()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                checkKey(key, here(), keys, "in an " + what + " entry", where);
                JsonToken v = next();
                if (v == null || !v.isScalarValue() || v == JsonToken.VALUE_NULL) {
                    throw error(here(), key + " must be " + expected(key) + ", got " + kind(v));
                }
                values.put(key, p.getText());
                where.put(key, here());
            }
        }

        Optional<String> get(String key) {
            String v = values.get(key);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
        }

        JsonLocation at(String key) {
            return where.getOrDefault(key, start);
        }

        <T> Optional<T> parsed(String key, java.util.function.Function<String, T> parse) {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parse.apply(v.get()));
            } catch (IllegalArgumentException e) {
                throw error(at(key), String.valueOf(e.getMessage()));
            }
        }

        Identity identity() {
            return new Identity(named("executable"), named("unit"), named("user"), named("image"));
        }

        /** An identity field: absent means any, but a blank value is an error, never "any". */
        Optional<String> named(String key) {
            String v = values.get(key);
            if (v != null && v.isBlank()) {
                throw error(at(key), key + " must not be empty: leave the key out for any " + key);
            }
            return v == null ? Optional.empty() : Optional.of(v);
        }
    }

    private Expect expect(JsonLocation start) throws IOException {
        Fields f = new Fields(start, EXPECT_KEYS, "expect");
        Transport transport = f.parsed("transport", PolicyReader::transport)
                .orElseThrow(() -> error(start, "an expect entry needs 'transport: tcp' or 'transport: udp'"));
        PortRange ports =
                f.parsed("port", PortRange::parse).orElseThrow(() -> error(start, "an expect entry needs 'port:'"));
        boolean required = f.parsed("required", PolicyReader::bool).orElse(true);
        return new Expect(
                transport,
                ports,
                f.parsed("bind", Bind::parse),
                f.parsed("netns", PolicyReader::netns).orElse(Netns.HOST),
                f.identity(),
                required);
    }

    private Ignore ignore(JsonLocation start) throws IOException {
        Fields f = new Fields(start, IGNORE_KEYS, "ignore");
        PortRange ports =
                f.parsed("port", PortRange::parse).orElseThrow(() -> error(start, "an ignore entry needs 'port:'"));
        return new Ignore(
                f.parsed("transport", PolicyReader::transport),
                ports,
                f.parsed("bind", Bind::parse),
                f.parsed("netns", PolicyReader::netns).orElse(Netns.HOST),
                f.identity(),
                f.get("reason").orElse(""));
    }

    /** {@code host} and {@code any} in any case, as bind and transport are; else a namespace's name or inode. */
    private static Netns netns(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("host")) {
            return Netns.HOST;
        }
        if (lower.equals("any")) {
            return Netns.ANY;
        }
        return new Netns(text);
    }

    private static Transport transport(String text) {
        Transport t = Transport.parse(text);
        if (!t.discoverable()) {
            throw new IllegalArgumentException("listeners are found for tcp and udp, not " + t.label());
        }
        return t;
    }

    private static boolean bool(String text) {
        switch (text) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("required must be true or false, got " + text);
        }
    }

    private void checkKey(String key, JsonLocation at, List<String> keys, String where, Map<String, JsonLocation> seen)
            throws IOException {
        if (!keys.contains(key)) {
            Optional<String> near = Usage.nearest(key, keys);
            throw error(
                    at,
                    "unknown key '" + key + "' " + where
                            + near.map(n -> "; did you mean '" + n + "'?").orElse("")
                            + " (keys: " + String.join(", ", keys) + ")");
        }
        JsonLocation before = seen.putIfAbsent(key, at);
        if (before != null) {
            throw error(at, "key '" + key + "' is given twice (first at line " + before.getLineNr() + ")");
        }
    }

    private static String expected(String key) {
        switch (key) {
            case "port":
                return "a port 0-65535 or a range such as 3000-3005";
            case "required":
                return "true or false";
            case "transport":
                return "tcp or udp";
            case "bind":
                return "loopback, all or an address";
            default:
                return "a single value";
        }
    }

    private String text() throws IOException {
        JsonToken t = p.currentToken();
        return t != null && t.isScalarValue() ? "'" + p.getText() + "'" : kind(t);
    }

    private static String kind(JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        switch (t) {
            case START_ARRAY:
                return "a list";
            case START_OBJECT:
                return "a mapping";
            case VALUE_NULL:
                return "nothing";
            default:
                return "a single value";
        }
    }
}
