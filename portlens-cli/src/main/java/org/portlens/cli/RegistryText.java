package org.portlens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.portlens.model.Transport;
import org.portlens.registry.Contact;
import org.portlens.registry.IanaRecord;
import org.portlens.registry.KnownUse;
import org.portlens.registry.Reference;
import org.portlens.registry.Registry;

/** IANA's records, known uses, search hits and the registry's own facts. */
final class RegistryText extends TextView {

    RegistryText(Style style, PrintWriter out) {
        super(style, out);
    }

    void records(List<IanaRecord> records) {
        for (IanaRecord r : records) {
            String name = r.serviceName().isEmpty() ? s.dim("(no name)") : s.bold(safe(r.serviceName()));
            out.println("  " + pad(r.portLabel(), 12) + name + "  "
                    + safe(r.description().replace('\n', ' ')));
            List<String> facts = new ArrayList<>();
            if (!r.registered().isEmpty()) {
                facts.add("registered " + r.registered());
            }
            if (!r.modified().isEmpty()) {
                facts.add("modified " + r.modified());
            }
            if (!r.serviceCode().isEmpty()) {
                facts.add("service code " + r.serviceCode());
            }
            if (!facts.isEmpty()) {
                out.println("  " + pad("", 12) + safe(String.join(", ", facts)));
            }
            people("assignee", r.assignees());
            people("contact", r.contacts());
            for (Reference ref : r.references()) {
                String url = ref.url();
                out.println("  " + pad("", 12) + "reference " + safe(ref.display())
                        + (url.isEmpty() || url.equals(ref.data()) ? "" : "  " + safe(url)));
            }
            if (!r.notes().isEmpty()) {
                wrapped("  " + pad("", 12) + "note ", safe(r.notes().replace('\n', ' ')));
            }
            if (!r.unauthorizedUse().isEmpty()) {
                out.println("  " + pad("", 12) + s.yellow("unauthorized use reported: " + safe(r.unauthorizedUse())));
            }
        }
    }

    private void people(String role, List<Contact> people) {
        for (Contact c : people) {
            out.println("  " + pad("", 12) + role + " " + safe(c.display())
                    + (c.uri().isEmpty() ? "" : " <" + safe(c.uri()) + ">"));
        }
    }

    void knownUses(List<KnownUse> uses) {
        heading("Known uses " + s.dim("(not IANA's word)"));
        knownUseLines(uses);
    }

    void knownUseLines(List<KnownUse> uses) {
        for (KnownUse u : uses) {
            List<String> t = new ArrayList<>();
            for (Transport x : u.transports()) {
                t.add(x.label());
            }
            out.println("  " + pad(u.ports() + "/" + String.join(",", t), 16) + s.bold(safe(u.software())) + ": "
                    + safe(u.use()));
            out.println("  " + pad("", 16) + s.dim(safe(u.source())));
        }
    }

    void hits(String query, List<Registry.Hit> hits) {
        if (hits.isEmpty()) {
            out.println("No registry record matches '" + safe(query) + "'.");
            return;
        }
        for (Registry.Hit h : hits) {
            IanaRecord r = h.record();
            out.println(pad(r.portLabel(), 14)
                    + pad(r.serviceName().isEmpty() ? "-" : safe(r.serviceName()), 24)
                    + safe(r.description().replace('\n', ' ')));
        }
    }

    void registryInfo(Registry.Info info, String origin) {
        out.println("IANA Service Name and Transport Protocol Port Number Registry");
        out.println("  updated      " + info.updated());
        out.println("  in use       " + origin);
        out.println("  source       " + info.source());
        out.println("  sha256       " + info.sha256());
        if (!info.importedAt().isEmpty()) {
            out.println("  imported     " + info.importedAt());
        }
        out.println("  records      " + info.records() + " (" + info.serviceNames() + " service names)");
        StringBuilder t = new StringBuilder();
        for (Map.Entry<Transport, Integer> e : info.byTransport().entrySet()) {
            t.append(t.length() == 0 ? "" : ", ")
                    .append(e.getKey().label())
                    .append(' ')
                    .append(e.getValue());
        }
        out.println("  by transport " + t);
        out.println("  people       " + info.people());
        out.println(
                "  licence      IANA registry data, free to use (CC0 1.0; https://www.iana.org/help/licensing-terms)");
    }
}
