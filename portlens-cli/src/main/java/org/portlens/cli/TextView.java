package org.portlens.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * What every text view shares: the style, the writer, and the layout helpers. Every string from
 * outside portlens goes through {@link #safe}. One view per command output extends it.
 */
abstract class TextView {

    final Style s;
    final PrintWriter out;

    TextView(Style style, PrintWriter out) {
        this.s = style;
        this.out = out;
    }

    void heading(String text) {
        out.println(s.bold(text));
    }

    void wrapped(String indent, String text) {
        int width = 100;
        StringBuilder line = new StringBuilder(indent);
        String cont = " ".repeat(indent.length());
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width && line.length() > indent.length()) {
                out.println(line.toString().stripTrailing());
                line = new StringBuilder(cont);
            }
            line.append(word).append(' ');
        }
        out.println(line.toString().stripTrailing());
    }

    static String pad(String v, int width) {
        if (v.length() >= width) {
            return v + " ";
        }
        return v + " ".repeat(width - v.length());
    }

    static String safe(String v) {
        return Style.safe(v);
    }

    /**
     * "2026-11-27 14:31:20 UTC". UTC, not local time: unambiguous across hosts, and formatting in
     * the local zone loads the time-zone database, about 15 ms of a cold start (bench/README.md).
     */
    static String utc(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        return d.getYear() + "-" + two(d.getMonthValue()) + "-" + two(d.getDayOfMonth()) + " " + two(d.getHour()) + ":"
                + two(d.getMinute()) + ":" + two(d.getSecond()) + " UTC";
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    static String age(Instant start) {
        Duration d = Duration.between(start, Instant.now());
        if (d.isNegative()) {
            return "0s";
        }
        long sec = d.getSeconds();
        if (sec < 60) {
            return sec + "s";
        }
        if (sec < 3600) {
            return (sec / 60) + "m" + (sec % 60 > 0 ? " " + sec % 60 + "s" : "");
        }
        if (sec < 86400) {
            return (sec / 3600) + "h " + (sec % 3600) / 60 + "m";
        }
        return (sec / 86400) + "d " + (sec % 86400) / 3600 + "h";
    }
}
