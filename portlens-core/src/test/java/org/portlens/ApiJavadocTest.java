package org.portlens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type of an exported package has a Javadoc comment, and says who may use it from
 * which thread. (The build's doclint checks the comments' syntax and references; it does not
 * require comments on every member.)
 */
class ApiJavadocTest {

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^\\s*public\\s+(?:(?:static|final|abstract|sealed|non-sealed)\\s+)*(class|interface|record|enum)\\s+(\\w+)");
    private static final Pattern THREADS = Pattern.compile(
            "(?i)immutable|thread-safe|safe from any thread|safe to share|safe for concurrent|from any thread"
                    + "|one thread|not thread|any thread|several threads|each thread");

    record PublicType(String file, String name, String comment) {}

    static List<PublicType> exportedTypes() throws IOException {
        ModuleDescriptor module = ModuleFinder.of(Path.of("target", "classes"))
                .find("org.portlens")
                .orElseThrow()
                .descriptor();
        Set<String> exported =
                module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        List<PublicType> out = new ArrayList<>();
        Path src = Path.of("src", "main", "java");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
                if (!exported.contains(pkg) || f.getFileName().toString().endsWith("-info.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = PUBLIC_TYPE.matcher(lines.get(i));
                    if (m.find()) {
                        out.add(new PublicType(src.relativize(f).toString(), m.group(2), commentBefore(lines, i)));
                    }
                }
            }
        }
        return out;
    }

    /** The Javadoc comment that ends just above line {@code i} (annotations between allowed), or empty. */
    private static String commentBefore(List<String> lines, int i) {
        int j = i - 1;
        while (j >= 0 && lines.get(j).strip().startsWith("@")) {
            j--;
        }
        if (j < 0 || !lines.get(j).strip().endsWith("*/")) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int k = j; k >= 0; k--) {
            sb.insert(0, lines.get(k) + "\n");
            if (lines.get(k).strip().startsWith("/**")) {
                return sb.toString();
            }
        }
        return "";
    }

    @Test
    void everyExportedTypeHasAComment() throws IOException {
        List<PublicType> types = exportedTypes();
        assertThat(types).hasSizeGreaterThan(40);
        assertThat(types.stream().filter(t -> t.comment().isEmpty()).map(t -> t.file() + " " + t.name()))
                .as("public types of exported packages without Javadoc")
                .isEmpty();
    }

    @Test
    void everyExportedTopLevelTypeSaysWhoMayUseItFromWhichThread() throws IOException {
        List<String> silent = exportedTypes().stream()
                .filter(t -> t.file().endsWith("/" + t.name() + ".java"))
                .filter(t -> !THREADS.matcher(t.comment()).find())
                .map(t -> t.file())
                .toList();
        assertThat(silent)
                .as("exported types whose Javadoc says nothing of threads or immutability")
                .isEmpty();
    }
}
