package org.portlens.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.portlens.registry.RegistryStore;

/** Where portlens keeps its files: flag, then environment, then the XDG default. */
final class Env {

    private Env() {}

    static Path dataDir(Path flag) {
        if (flag != null) {
            return flag;
        }
        String own = System.getenv("PORTLENS_DATA_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "portlens");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "portlens");
    }

    /** The registry in use; a warning goes to stderr when an installed copy had to be passed over. */
    static RegistryStore.Active registry(Path dataDirFlag, PrintWriter err) {
        RegistryStore.Active active = new RegistryStore(dataDir(dataDirFlag)).load();
        if (!active.warning().isEmpty()) {
            err.println("portlens: warning: " + active.warning());
        }
        return active;
    }

    /**
     * The policy file of {@code portlens audit}: the flag, else {@code $XDG_CONFIG_HOME/portlens/policy.yaml},
     * else {@code ~/.config/portlens/policy.yaml}.
     */
    static Path policyFile(Path flag) {
        if (flag != null) {
            return flag;
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "portlens", "policy.yaml");
        }
        return Path.of(System.getProperty("user.home"), ".config", "portlens", "policy.yaml");
    }

    /** The history database of {@code --db}, else {@code $PORTLENS_DB}; null for the data directory's SQLite file. */
    static String historyUrl(String flag) {
        String url = flag != null ? flag : System.getenv("PORTLENS_DB");
        return url == null || url.isBlank() ? null : url;
    }
}
