package org.portlens.packages;

import org.portlens.model.ProcessInfo;

/** The lookup that is never asked; {@link PackageLookup#none()}. */
enum NoPackageLookup implements PackageLookup {
    INSTANCE;

    @Override
    public PackageOrigin of(ProcessInfo process) {
        return new PackageOrigin.Unknown("packages not looked up");
    }
}
