package org.portlens.discovery.windows;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Windows command line into its arguments the way programs built with the Microsoft C
 * runtime do (the rules of {@code CommandLineToArgvW}): spaces and tabs separate arguments outside
 * double quotes; {@code 2n} backslashes before a quote are {@code n} backslashes and the quote opens
 * or closes; {@code 2n+1} are {@code n} and a literal quote; other backslashes are themselves. The
 * first argument, the program, ends at its first space or at its closing quote, backslashes kept.
 * Pure; stateless; safe from any thread.
 */
final class CommandLines {

    private CommandLines() {}

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i >= n) {
            return out;
        }
        // the program: quoted up to the next quote, else up to the next space
        StringBuilder first = new StringBuilder();
        if (line.charAt(i) == '"') {
            i++;
            while (i < n && line.charAt(i) != '"') {
                first.append(line.charAt(i++));
            }
            i++;
        } else {
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                first.append(line.charAt(i++));
            }
        }
        out.add(first.toString());
        StringBuilder arg = new StringBuilder();
        boolean inQuotes = false;
        boolean any = false;
        while (i < n) {
            char c = line.charAt(i);
            if ((c == ' ' || c == '\t') && !inQuotes) {
                if (any) {
                    out.add(arg.toString());
                    arg.setLength(0);
                    any = false;
                }
                i++;
                continue;
            }
            if (c == '\\') {
                int slashes = 0;
                while (i < n && line.charAt(i) == '\\') {
                    slashes++;
                    i++;
                }
                if (i < n && line.charAt(i) == '"') {
                    arg.append("\\".repeat(slashes / 2));
                    if (slashes % 2 == 1) {
                        arg.append('"');
                        i++;
                    }
                } else {
                    arg.append("\\".repeat(slashes));
                }
                any = true;
                continue;
            }
            if (c == '"') {
                if (inQuotes && i + 1 < n && line.charAt(i + 1) == '"') {
                    arg.append('"'); // "" inside quotes: a literal quote (the C runtime since 2008)
                    i += 2;
                    any = true;
                    continue;
                }
                inQuotes = !inQuotes;
                any = true;
                i++;
                continue;
            }
            arg.append(c);
            any = true;
            i++;
        }
        if (any) {
            out.add(arg.toString());
        }
        return out;
    }
}
