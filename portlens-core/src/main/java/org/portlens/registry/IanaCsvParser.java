package org.portlens.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads IANA's registry CSV ({@code service-names-port-numbers.csv}): the columns Service Name,
 * Port Number, Transport Protocol, Description, Assignee, Contact, Registration Date,
 * Modification Date, Reference, Service Code, Unauthorized Use Reported, Assignment Notes.
 * The CSV has no people list, so persons stay as ids.
 */
final class IanaCsvParser {

    static final String HEADER_START = "Service Name,Port Number,Transport Protocol,Description";

    private IanaCsvParser() {}

    /** @throws RegistryFormatException when the header is not IANA's */
    static ParsedRegistry parse(byte[] csv) {
        String text = new String(csv, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> table = split(text);
        if (table.isEmpty() || !String.join(",", table.get(0)).startsWith(HEADER_START)) {
            throw new RegistryFormatException(
                    "not IANA's registry CSV: the header should start with '" + HEADER_START + "'");
        }
        List<ParsedRegistry.Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 1; i < table.size(); i++) {
            List<String> f = table.get(i);
            if (f.size() == 1 && f.get(0).isBlank()) {
                continue;
            }
            if (f.size() < 12) {
                problems.add("CSV row " + (i + 1) + ": " + f.size() + " columns, expected 12; skipped");
                continue;
            }
            List<ParsedRegistry.Xref> xrefs = new ArrayList<>();
            for (String id : bracketed(f.get(4))) {
                xrefs.add(new ParsedRegistry.Xref(ParsedRegistry.Role.ASSIGNEE, "person", id));
            }
            for (String id : bracketed(f.get(5))) {
                xrefs.add(new ParsedRegistry.Xref(ParsedRegistry.Role.CONTACT, "person", id));
            }
            for (String ref : bracketed(f.get(8))) {
                xrefs.add(
                        new ParsedRegistry.Xref(ParsedRegistry.Role.REFERENCE, referenceType(ref), referenceData(ref)));
            }
            rows.add(new ParsedRegistry.Row(
                    f.get(0).strip(),
                    f.get(2).strip(),
                    f.get(1).strip(),
                    IanaXmlParser.tidy(f.get(3)),
                    xrefs,
                    f.get(6).strip(),
                    f.get(7).strip(),
                    f.get(9).strip(),
                    IanaXmlParser.tidy(f.get(11)),
                    IanaXmlParser.tidy(f.get(10))));
        }
        return new ParsedRegistry("", rows, List.of(), problems);
    }

    private static String referenceType(String ref) {
        String l = ref.toLowerCase(Locale.ROOT);
        if (l.matches("rfc\\d+.*")) {
            return "rfc";
        }
        if (l.startsWith("draft-")) {
            return "draft";
        }
        if (l.startsWith("http://") || l.startsWith("https://")) {
            return "uri";
        }
        return "text";
    }

    private static String referenceData(String ref) {
        String l = ref.toLowerCase(Locale.ROOT);
        if (l.matches("rfc\\d+.*")) {
            int end = 3;
            while (end < l.length() && Character.isDigit(l.charAt(end))) {
                end++;
            }
            return l.substring(0, end);
        }
        return ref;
    }

    /** The texts between square brackets, or the whole text when there are none. */
    static List<String> bracketed(String field) {
        List<String> out = new ArrayList<>();
        String s = field.strip();
        if (s.isEmpty()) {
            return out;
        }
        int i = 0;
        boolean any = false;
        while (true) {
            int open = s.indexOf('[', i);
            int close = open < 0 ? -1 : s.indexOf(']', open);
            if (open < 0 || close < 0) {
                break;
            }
            any = true;
            String inner = s.substring(open + 1, close).strip();
            if (!inner.isEmpty()) {
                out.add(inner);
            }
            i = close + 1;
        }
        if (!any) {
            out.add(s);
        }
        return out;
    }

    /** RFC 4180 splitting: quoted fields may hold commas, doubled quotes and line breaks. */
    static List<List<String>> split(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
