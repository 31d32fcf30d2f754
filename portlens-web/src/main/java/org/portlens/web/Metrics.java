package org.portlens.web;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Listener;
import org.portlens.model.Owner;
import org.portlens.policy.PolicyFinding;

/**
 * {@code /metrics}: this host's listeners in Prometheus's text format, through the Prometheus Java
 * client, read at each scrape (at most once a second, {@link LiveHost#FRESH}).
 *
 * <ul>
 *   <li>{@code portlens_listeners{transport,port,scope,owner,namespace}}: listeners at each place, by owner;
 *   <li>{@code portlens_unexpected_listeners{transport,port,scope,owner,kind}}: the policy's findings
 *       about listeners, when a policy is set; {@code portlens_policy_findings} counts every finding;
 *   <li>{@code portlens_scrape_duration_seconds}: how long the read of the host behind this scrape took.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class Metrics {

    private final LiveHost host;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge duration;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile LiveHost.@Nullable Table current;

    Metrics(LiveHost host) {
        this.host = host; // the host is read at the first scrape, not at start
        GaugeWithCallback.builder()
                .name("portlens_listeners")
                .help("Listening sockets on this host, by place and principal owner")
                .labelNames("transport", "port", "scope", "owner", "namespace")
                .callback(cb -> {
                    LiveHost.Table t = current;
                    if (t == null) {
                        return;
                    }
                    Map<List<String>, Integer> counts = new HashMap<>();
                    for (Listener l : t.discovery().listeners()) {
                        List<String> labels = List.of(
                                l.transport().label(),
                                String.valueOf(l.local().port()),
                                ListenerView.scopeCode(l.local().scope()),
                                owner(l),
                                l.namespace().current() ? "" : l.namespace().label());
                        counts.merge(labels, 1, Integer::sum);
                    }
                    counts.forEach((k, v) -> cb.call(v, k.toArray(new String[0])));
                })
                .register(registry);
        if (host.policy() != null) {
            GaugeWithCallback.builder()
                    .name("portlens_unexpected_listeners")
                    .help("Listeners the policy does not expect, by place, owner and kind of finding")
                    .labelNames("transport", "port", "scope", "owner", "kind")
                    .callback(cb -> {
                        LiveHost.Table t = current;
                        var audit = t == null ? null : t.audit();
                        if (audit == null) {
                            return;
                        }
                        Map<List<String>, Integer> counts = new HashMap<>();
                        for (PolicyFinding f : audit.violations()) {
                            f.subject()
                                    .ifPresent(l -> counts.merge(
                                            List.of(
                                                    l.transport().label(),
                                                    String.valueOf(l.local().port()),
                                                    ListenerView.scopeCode(
                                                            l.local().scope()),
                                                    owner(l),
                                                    f.kind()),
                                            1,
                                            Integer::sum));
                        }
                        counts.forEach((k, v) -> cb.call(v, k.toArray(new String[0])));
                    })
                    .register(registry);
            GaugeWithCallback.builder()
                    .name("portlens_policy_findings")
                    .help("Findings of the policy against this host's listeners, missing listeners included")
                    .callback(cb -> {
                        LiveHost.Table t = current;
                        var audit = t == null ? null : t.audit();
                        cb.call(audit == null ? 0 : audit.violations().size());
                    })
                    .register(registry);
        }
        duration = Gauge.builder()
                .name("portlens_scrape_duration_seconds")
                .help(
                        "How long the read of this host's sockets and owners took (the last read: one is reused for a second)")
                .register(registry);
    }

    /** The principal owner's name, or why there is none. */
    static String owner(Listener l) {
        for (Owner o : l.owners()) {
            if (o instanceof Owner.Known k) {
                return k.process().name();
            }
            if (o instanceof Owner.Hidden) {
                return "(hidden)";
            }
        }
        return "(none)";
    }

    /** @return the exposition, after reading the host (or reusing a read younger than a second) */
    byte[] scrape() {
        LiveHost.Table t = host.table();
        current = t;
        duration.set(t.took().toNanos() / 1e9);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @return the content type of the exposition */
    String contentType() {
        return writer.getContentType();
    }
}
