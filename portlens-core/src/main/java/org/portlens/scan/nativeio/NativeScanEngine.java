package org.portlens.scan.nativeio;

import java.util.Optional;
import org.portlens.scan.spi.ScanEngine;

/**
 * The native TCP engine as a {@link ScanEngine} service: raw Linux socket calls that reuse each socket across
 * refused ports ({@link NativeTcpWorker}), bound through {@code java.lang.foreign} on JDK 22+ or the JDK's
 * own socket natives on JDK 17-21 ({@link NativeSockets} says which, and when neither can be used).
 *
 * <p>Thread-safe: the binding is shared by the whole JVM, done once, and guarded by {@link NativeSockets};
 * instances hold no state. Public only for {@link java.util.ServiceLoader}: this package is not exported.
 */
public final class NativeScanEngine implements ScanEngine {

    /** For {@link java.util.ServiceLoader}. */
    public NativeScanEngine() {}

    @Override
    public boolean prepare(int ports) {
        return NativeSockets.prepare(ports);
    }

    @Override
    public Optional<String> unavailable(int ports) {
        NativeSockets.prepare(ports);
        NativeSockets.bound();
        return Optional.ofNullable(NativeSockets.reason());
    }

    @Override
    public Optional<String> binding() {
        return Optional.ofNullable(NativeSockets.binding());
    }

    @Override
    public Worker newWorker(Lane lane) {
        return new NativeTcpWorker(lane);
    }
}
