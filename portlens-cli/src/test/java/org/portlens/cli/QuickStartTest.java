package org.portlens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Every command line of QuickStart's table means the same to QuickStart as to picocli. */
class QuickStartTest {

    /** A positional value that parses for each form. */
    private static String positional(String name) {
        switch (name) {
            case "PORT":
                return "3640";
            case "HOST:PORT":
                return "127.0.0.1:3640";
            default:
                return "127.0.0.1";
        }
    }

    /** Each form with each of its flags alone, with all of them, and each valued option both ways. */
    static Stream<List<String>> commandLines() {
        List<List<String>> lines = new ArrayList<>();
        for (QuickStart.Form f : QuickStart.FORMS) {
            List<String> head = new ArrayList<>();
            if (!f.command().isEmpty()) {
                head.add(f.command());
            }
            if (!f.positionalRequired()) {
                lines.add(List.copyOf(head));
            }
            f.positional().ifPresent(p -> head.add(positional(p)));
            lines.add(head);
            for (String flag : f.flags()) {
                List<String> line = new ArrayList<>(head);
                line.add(flag);
                lines.add(line);
            }
            List<String> all = new ArrayList<>(head);
            all.addAll(f.flags());
            lines.add(all);
            for (String option : f.valued()) {
                List<String> apart = new ArrayList<>(head);
                apart.add(option);
                apart.add("3000-3005");
                lines.add(apart);
                List<String> joined = new ArrayList<>(head);
                joined.add(option + "3000-3005");
                lines.add(joined);
            }
        }
        return lines.stream();
    }

    @ParameterizedTest(name = "portlens {0}")
    @MethodSource("commandLines")
    void quickStartAndPicocliSetTheSameFields(List<String> line) throws Exception {
        String[] args = line.toArray(new String[0]);
        Object quick = QuickStart.parse(args);
        assertThat(quick).as("QuickStart takes %s", line).isNotNull();

        CommandLine cl = Main.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        Object picocli = parsed.commandSpec().userObject();
        assertThat(quick.getClass()).isEqualTo(picocli.getClass());
        assertThat(fields(quick)).isEqualTo(fields(picocli));
    }

    @Test
    void everyFlagInTheTableIsAnOptionOfThatCommand() {
        for (QuickStart.Form f : QuickStart.FORMS) {
            CommandLine cl = Main.commandLine();
            CommandLine sub = f.command().isEmpty() ? cl : cl.getSubcommands().get(f.command());
            for (String flag : f.flags()) {
                assertThat(sub.getCommandSpec().findOption(flag))
                        .as("%s %s", f.command(), flag)
                        .isNotNull();
                assertThat(sub.getCommandSpec().findOption(flag).arity().max())
                        .as("%s takes no value", flag)
                        .isZero();
            }
            for (String option : f.valued()) {
                assertThat(sub.getCommandSpec().findOption(option))
                        .as("%s %s", f.command(), option)
                        .isNotNull();
            }
        }
    }

    @ParameterizedTest(name = "portlens {0}")
    @CsvSource({"3640 ls, ls 3640", "3000-3005 ls --tcp, ls --tcp 3000-3005", "3640/udp ls --json, ls 3640/udp --json"})
    void quickStartTakesThePortOfLsOnEitherSide(String line, String same) throws Exception {
        String[] args = line.split(" ");
        Object quick = QuickStart.parse(args);
        assertThat(quick).as("QuickStart takes %s itself", line).isInstanceOf(LsCommand.class);
        assertThat(((LsCommand) quick).positionalPort).isEqualTo(args[0]);
        assertThat(fields(quick)).isEqualTo(fields(QuickStart.parse(same.split(" "))));
        // picocli's path means the same: the port before ls is passed on to it
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);
        Usage.passOn(parsed);
        assertThat(fields(parsed.subcommand().commandSpec().userObject())).isEqualTo(fields(quick));
    }

    @Test
    void theQuickFormsLoadNoPicocli() throws Exception {
        List<String> picocli = new ArrayList<>();
        List<URL> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(Path.of(entry).toUri().toURL());
        }
        try (URLClassLoader loader =
                new URLClassLoader(classpath.toArray(new URL[0]), ClassLoader.getPlatformClassLoader()) {
                    @Override
                    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                        if (name.startsWith("picocli.")) {
                            picocli.add(name);
                        }
                        return super.loadClass(name, resolve);
                    }
                }) {
            Method parse =
                    Class.forName(QuickStart.class.getName(), true, loader).getDeclaredMethod("parse", String[].class);
            parse.setAccessible(true);
            for (String line :
                    List.of("3640", "3640 --tcp --no-probe", "ls", "ls 3640", "3640 ls", "ls 3000-3005 --json")) {
                assertThat(parse.invoke(null, (Object) line.split(" ")))
                        .as(line)
                        .isNotNull();
            }
        }
        assertThat(picocli).isEmpty();
    }

    @Test
    void anythingElseGoesToPicocli() {
        assertThat(QuickStart.parse(new String[] {"ls", "foo"})).isNull();
        assertThat(QuickStart.parse(new String[] {"foo", "ls"})).isNull();
        assertThat(QuickStart.parse(new String[] {"ls", "--sopre", "loopback"})).isNull();
        assertThat(QuickStart.parse(new String[] {"ls", "3640", "3641"})).isNull();
        assertThat(QuickStart.parse(new String[] {"help"})).isNull();
        assertThat(QuickStart.parse(new String[] {"3640", "--bogus"})).isNull();
        assertThat(QuickStart.parse(new String[] {"netplay-port1"})).isNull();
        assertThat(QuickStart.parse(new String[] {"70000"})).isNull();
        assertThat(QuickStart.parse(new String[] {"ls", "--port", "80"})).isNull();
        assertThat(QuickStart.parse(new String[] {"probe"})).isNull();
        assertThat(QuickStart.parse(new String[] {"scan", "127.0.0.1", "-p"})).isNull();
        assertThat(QuickStart.parse(new String[] {"scan", "127.0.0.1", "127.0.0.2"}))
                .isNull();
        assertThat(QuickStart.parse(new String[] {})).isNull();
        assertThat(QuickStart.parse(new String[] {"3640", "--no-probe", "--no-probe"}))
                .isNull();
        assertThat(QuickStart.parse(new String[] {"scan", "127.0.0.1", "-p", "1", "-p", "2"}))
                .isNull();
    }

    /** Every option and parameter field, mixins included, by name. */
    private static Map<String, Object> fields(Object command) throws IllegalAccessException {
        Map<String, Object> out = new LinkedHashMap<>();
        collect(command, "", out);
        return out;
    }

    private static void collect(Object o, String prefix, Map<String, Object> out) throws IllegalAccessException {
        for (Field f : o.getClass().getDeclaredFields()) {
            f.setAccessible(true);
            if (f.isAnnotationPresent(Mixin.class)) {
                collect(f.get(o), prefix + f.getName() + ".", out);
            } else if (f.isAnnotationPresent(Option.class) || f.isAnnotationPresent(Parameters.class)) {
                out.put(prefix + f.getName(), f.get(o));
            }
        }
    }
}
