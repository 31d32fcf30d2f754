package org.portlens.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time typed on the command line ({@code --since}, {@code --until}): ISO-8601 with or without a
 * zone ({@code 2026-12-01T14:00}, local time when none; a space may stand for the T), a date
 * ({@code 2026-12-01}, its local midnight), or an age ({@code 30m}, {@code 2h}, {@code 3d}, {@code 1w}:
 * that long ago).
 */
final class TimeArg {

    static final String ACCEPTED = "give 2026-12-01T14:00 (local time, or with Z or +01:00), 2026-12-01,"
            + " or an age such as 30m, 2h, 3d or 1w (that long ago)";

    private static final Pattern AGE = Pattern.compile("(\\d{1,9})\\s*([smhdw])");

    private TimeArg() {}

    static Instant parse(String option, String text, Instant now, ZoneId zone) {
        String t = text.strip();
        Matcher m = AGE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration unit = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return now.minus(unit.multipliedBy(n));
        }
        String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + "T" + t.substring(11) : t;
        try {
            if (iso.length() == 10) {
                return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
            }
            if (iso.endsWith("Z") || iso.endsWith("z")) {
                return OffsetDateTime.parse(iso.substring(0, iso.length() - 1) + "Z")
                        .toInstant();
            }
            if (iso.contains("[")) {
                return ZonedDateTime.parse(iso).toInstant();
            }
            if (iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10) {
                return OffsetDateTime.parse(iso).toInstant();
            }
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new InputException(option + ": cannot read '" + text + "' as a time: " + ACCEPTED);
        }
    }
}
