package org.portlens.registry;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Reads IANA's registry XML ({@code service-names-port-numbers.xml}) into a {@link ParsedRegistry}. */
final class IanaXmlParser {

    private IanaXmlParser() {}

    /**
     * Parses the XML.
     *
     * @throws RegistryFormatException when the bytes are not well-formed XML or not IANA's registry
     */
    static ParsedRegistry parse(byte[] xml) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        List<ParsedRegistry.Row> rows = new ArrayList<>();
        List<ParsedRegistry.Person> people = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String updated = "";
        boolean sawRegistry = false;
        try {
            XMLStreamReader r = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
            int depth = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String tag = r.getLocalName();
                    if (depth == 1) {
                        if (!tag.equals("registry")) {
                            throw new RegistryFormatException(
                                    "not IANA's registry XML: the root element is <" + tag + ">, expected <registry>");
                        }
                        sawRegistry = true;
                    } else if (depth == 2 && tag.equals("updated")) {
                        updated = text(r);
                        depth--;
                    } else if (depth == 2 && tag.equals("record")) {
                        rows.add(record(r));
                        depth--;
                    } else if (tag.equals("person")) {
                        people.add(person(r));
                        depth--;
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            String where =
                    e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber();
            throw new RegistryFormatException(
                    "not well-formed XML" + where + ": " + firstLine(String.valueOf(e.getMessage())));
        }
        if (!sawRegistry) {
            throw new RegistryFormatException("not IANA's registry XML: no <registry> element");
        }
        return new ParsedRegistry(updated, rows, people, problems);
    }

    private static ParsedRegistry.Row record(XMLStreamReader r) throws XMLStreamException {
        String registered = attr(r, "date");
        String modified = attr(r, "updated");
        String name = "", protocol = "", number = "", description = "", sc = "", note = "", unauthorized = "";
        List<ParsedRegistry.Xref> xrefs = new ArrayList<>();
        boolean inAssignee = false;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (r.getLocalName()) {
                    case "name":
                        name = text(r);
                        break;
                    case "protocol":
                        protocol = text(r);
                        break;
                    case "number":
                        number = text(r);
                        break;
                    case "description":
                        description = text(r);
                        break;
                    case "sc":
                        sc = text(r);
                        break;
                    case "note":
                        note = text(r);
                        break;
                    case "unauthorized":
                        unauthorized = text(r);
                        break;
                    case "assignee":
                        inAssignee = true;
                        break;
                    case "xref": {
                        String type = attr(r, "type");
                        String data = attr(r, "data");
                        ParsedRegistry.Role role = inAssignee
                                ? ParsedRegistry.Role.ASSIGNEE
                                : type.equals("person") ? ParsedRegistry.Role.CONTACT : ParsedRegistry.Role.REFERENCE;
                        if (data.isEmpty()) {
                            data = text(r);
                        }
                        xrefs.add(new ParsedRegistry.Xref(role, type, data));
                        break;
                    }
                    default:
                        text(r); // unknown element: skip its content
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (r.getLocalName().equals("assignee")) {
                    inAssignee = false;
                } else if (r.getLocalName().equals("record")) {
                    break;
                }
            }
        }
        return new ParsedRegistry.Row(
                name, protocol, number, description, xrefs, registered, modified, sc, note, unauthorized);
    }

    private static ParsedRegistry.Person person(XMLStreamReader r) throws XMLStreamException {
        String id = attr(r, "id");
        String name = "", org = "", uri = "", updated = "";
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (r.getLocalName()) {
                    case "name":
                        name = text(r);
                        break;
                    case "org":
                        org = text(r);
                        break;
                    case "uri":
                        uri = text(r);
                        break;
                    case "updated":
                        updated = text(r);
                        break;
                    default:
                        text(r);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT
                    && r.getLocalName().equals("person")) {
                break;
            }
        }
        return new ParsedRegistry.Person(id, name, org, uri, updated);
    }

    /** The text of the current element, {@code <br/>} as a line break; leaves the reader on its end tag. */
    private static String text(XMLStreamReader r) throws XMLStreamException {
        StringBuilder sb = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int event = r.next();
            if (event == XMLStreamConstants.CHARACTERS
                    || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE) {
                sb.append(r.getText());
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (r.getLocalName().equals("br")) {
                    sb.append('\n');
                } else if (r.getLocalName().equals("xref")) {
                    sb.append(attr(r, "data"));
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        return tidy(sb.toString());
    }

    /** Strips each line and drops blank runs of more than one line. */
    static String tidy(String s) {
        String[] lines = s.strip().split("\n", -1);
        StringBuilder out = new StringBuilder();
        boolean lastBlank = false;
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty()) {
                if (lastBlank || out.length() == 0) {
                    continue;
                }
                lastBlank = true;
            } else {
                lastBlank = false;
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(l);
        }
        return out.toString().strip();
    }

    private static String attr(XMLStreamReader r, String name) {
        String v = r.getAttributeValue(null, name);
        return v == null ? "" : v.strip();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
