package org.portlens.cli;

import picocli.CommandLine;

/** {@code portlens --version}: the program's and the bundled registry's versions. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {
            "portlens " + (v == null ? "0.1.0" : v),
            "JVM: ${java.version} (${java.vendor} ${java.vm.name})",
            "OS: ${os.name} ${os.version} ${os.arch}"
        };
    }
}
