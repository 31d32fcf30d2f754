package org.portlens.scan;

/**
 * Told how far a scan has got, so a front end can draw a progress bar. Called on the thread that
 * called {@code scan}, about ten times a second while ports are being decided, and a last time with
 * {@code done == total}. Only that thread calls it, so an implementation need not be thread-safe, but it
 * must return quickly: the scan's threads go on meanwhile, and the caller's thread waits for it.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. (A class, not a lambda: no lambda bootstrap in a short-lived CLI.) */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void progress(int done, int total) {
            // nothing to show
        }
    };

    /**
     * Reports how many ports are decided.
     *
     * @param done  ports decided so far
     * @param total ports in the scan
     */
    void progress(int done, int total);
}
