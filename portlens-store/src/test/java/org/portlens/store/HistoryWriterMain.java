package org.portlens.store;

import static org.portlens.store.Events.listener;
import static org.portlens.store.Events.process;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.portlens.model.ProcessInfo;
import org.portlens.watch.WatchEvent;

/**
 * The writer that {@link KillDuringWriteIT} kills: records three events per call, forever, and after
 * each commit prints {@code committed N} (the events written so far) on stdout.
 */
public final class HistoryWriterMain {

    private HistoryWriterMain() {}

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        ProcessInfo p = process(812, "nginx", "/usr/sbin/nginx");
        long n = 0;
        long start = System.currentTimeMillis(); // recent: older than the retention would be pruned
        try (HistoryStore s = HistoryStore.open(null, dataDir, "killed")) {
            for (int i = 0; ; i++) {
                Instant at = Instant.ofEpochMilli(start + i);
                s.record(List.of(
                        new WatchEvent.Opened(at, listener(1 + i % 60000, i, p)),
                        new WatchEvent.Opened(at, listener(2 + i % 60000, i, p)),
                        new WatchEvent.Closed(at, listener(3 + i % 60000, i, p))));
                n += 3;
                System.out.println("committed " + n);
                System.out.flush();
            }
        }
    }
}
