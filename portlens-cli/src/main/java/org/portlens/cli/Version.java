package org.portlens.cli;

import picocli.CommandLine;

/** {@code portlens --version}: the program's version and the JDK that runs it (version, vendor, where). */
final class Version implements CommandLine.IVersionProvider {

    /** The program's version: the jar's Implementation-Version, else the version this source was written for. */
    static String number() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "portlens " + number(),
            "JDK: ${java.runtime.version} (${java.vendor}, ${java.vm.name}) at ${java.home}",
            "OS: ${os.name} ${os.version} ${os.arch}"
        };
    }
}
