package org.portlens.registry;

import java.util.List;

/**
 * The registry as read from IANA's XML or CSV, before it is encoded: raw text fields, nothing resolved.
 *
 * @param updated  the registry's own date ({@code <updated>}), or empty
 * @param rows     the records in file order
 * @param people   IANA's people list (empty for CSV, which has none)
 * @param problems one line per row or field that could not be read; those rows are skipped
 */
record ParsedRegistry(String updated, List<Row> rows, List<Person> people, List<String> problems) {

    public ParsedRegistry {
        rows = List.copyOf(rows);
        people = List.copyOf(people);
        problems = List.copyOf(problems);
    }

    /** Who an xref names within a record. */
    public enum Role {
        CONTACT,
        ASSIGNEE,
        REFERENCE
    }

    /** An {@code <xref>} in a record: the role it plays, its type and its data. */
    public record Xref(Role role, String type, String data) {}

    /** One {@code <record>}, fields as text ("" when absent). */
    public record Row(
            String name,
            String protocol,
            String number,
            String description,
            List<Xref> xrefs,
            String registered,
            String modified,
            String serviceCode,
            String note,
            String unauthorized) {
        public Row {
            xrefs = List.copyOf(xrefs);
        }
    }

    /** One {@code <person>} of IANA's people list. */
    public record Person(String id, String name, String org, String uri, String updated) {}
}
