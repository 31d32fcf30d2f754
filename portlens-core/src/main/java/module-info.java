/**
 * portlens: what a TCP or UDP port is, who holds it, what it speaks, and how exposed it is. Start
 * at {@link org.portlens.Portlens}. Exports the API only; the Linux readers and parsers, the
 * registry's codec and the native socket engines are not exported.
 */
module org.portlens {
    requires static org.jspecify;
    requires java.net.http;
    requires java.xml;

    exports org.portlens;
    exports org.portlens.discovery;
    exports org.portlens.findings;
    exports org.portlens.free;
    exports org.portlens.model;
    exports org.portlens.packages;
    exports org.portlens.policy;
    exports org.portlens.probe;
    exports org.portlens.registry;
    exports org.portlens.scan;
    exports org.portlens.scan.spi;
    exports org.portlens.watch;

    uses org.portlens.scan.spi.ScanEngine;

    provides org.portlens.scan.spi.ScanEngine with
            org.portlens.scan.nativeio.NativeScanEngine;
}
