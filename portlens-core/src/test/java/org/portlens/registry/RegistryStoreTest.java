package org.portlens.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryStoreTest {

    @Test
    void usesBundledCopyWhenNothingIsInstalled(@TempDir Path dir) {
        RegistryStore.Active active = new RegistryStore(dir).load();
        assertThat(active.origin()).isEqualTo("bundled");
        assertThat(active.warning()).isEmpty();
        assertThat(active.registry().size()).isEqualTo(IanaFixtures.RECORDS);
    }

    @Test
    void placesFilesUnderRegistryDirectory(@TempDir Path dir) {
        RegistryStore store = new RegistryStore(dir);
        assertThat(store.file()).isEqualTo(dir.resolve("registry/iana.bin"));
        assertThat(store.previousFile()).isEqualTo(dir.resolve("registry/iana.bin.previous"));
    }

    @Test
    void fallsBackToBundledWithWarningWhenInstalledCopyIsCorrupt(@TempDir Path dir) throws IOException {
        RegistryStore store = new RegistryStore(dir);
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "not a registry");
        RegistryStore.Active active = store.load();
        assertThat(active.origin()).isEqualTo("bundled");
        assertThat(active.warning())
                .contains(store.file().toString())
                .contains("bad magic")
                .contains("bundled copy");
        assertThat(active.registry().size()).isEqualTo(IanaFixtures.RECORDS);
    }

    @Test
    void installsCandidateAtomicallyAndLoadsIt(@TempDir Path dir) throws IOException {
        RegistryStore store = new RegistryStore(dir);
        byte[] compact = RegistryCodec.encode(
                new ParsedRegistry(
                        "2026-01-01",
                        List.of(new ParsedRegistry.Row("demo", "tcp", "4000", "Demo", List.of(), "", "", "", "", "")),
                        List.of(),
                        List.of()),
                new RegistryCodec.Metadata("2026-01-01", "test", "", ""));
        Registry r = RegistryCodec.decode(compact);
        RegistryUpdate.Candidate candidate = new RegistryUpdate.Candidate(compact, r, "xml", List.of());

        assertThat(store.install(candidate)).isEqualTo(store.file());

        assertThat(store.file()).hasBinaryContent(compact);
        RegistryStore.Active active = store.load();
        assertThat(active.origin()).isEqualTo(store.file().toString());
        assertThat(active.registry().byName("demo")).hasSize(1);
    }
}
