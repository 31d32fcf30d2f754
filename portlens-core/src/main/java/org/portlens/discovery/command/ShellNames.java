package org.portlens.discovery.command;

import java.util.Locale;
import java.util.Set;

/**
 * The names of interactive shells and schedulers, as macOS's {@code ps} and Windows' process list
 * show them: what the platforms' source finders look for in an ancestry. Stateless; safe from any thread.
 */
public final class ShellNames {

    private static final Set<String> SHELLS = Set.of(
            "bash",
            "sh",
            "dash",
            "zsh",
            "fish",
            "ksh",
            "mksh",
            "tcsh",
            "csh",
            "ash",
            "nu",
            "xonsh",
            "pwsh",
            "cmd",
            "powershell");

    private ShellNames() {}

    /**
     * The bare name of a program: no directory, no login shell's leading dash, no {@code .exe}.
     *
     * @param name such as {@code -zsh}, {@code /bin/zsh}, {@code C:\Windows\System32\cmd.exe}
     * @return such as {@code zsh} or {@code cmd}, in lower case
     */
    public static String bare(String name) {
        String n = name.strip();
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        if (n.startsWith("-")) {
            n = n.substring(1);
        }
        n = n.toLowerCase(Locale.ROOT);
        return n.endsWith(".exe") ? n.substring(0, n.length() - 4) : n;
    }

    /**
     * Whether a program is an interactive shell.
     *
     * @param name as {@link #bare} takes it
     * @return true for bash, zsh, fish, cmd, PowerShell and the like
     */
    public static boolean shell(String name) {
        return SHELLS.contains(bare(name));
    }
}
