package org.portlens.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.portlens.model.ProcessInfo;
import org.portlens.model.Source;

/**
 * Who may hold a listener: any of an executable, a systemd unit, a user (and a container image,
 * kept for later: it is read and written, not yet checked, since portlens does not read images).
 * Every field given must match; none given means any owner. Never a pid: a restart is the same
 * identity.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param executable an absolute path ({@code /usr/sbin/sshd}), compared with the process's
 *                   executable, or a name ({@code sshd}), compared with the executable's file name
 *                   and the process name
 * @param unit       a systemd unit ({@code ssh.service}), system or user, a launchd job or a Windows service
 * @param user       a user name or uid
 * @param image      a container image; not checked yet
 */
public record Identity(
        Optional<String> executable, Optional<String> unit, Optional<String> user, Optional<String> image) {

    /** Any owner. */
    public static final Identity ANY =
            new Identity(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * The identity {@link Baseline} writes for a process: its executable (path, or name when the path
     * is hidden), its unit if a systemd unit, launchd job or Windows service runs it, and its user.
     *
     * @param p the process
     * @return its identity
     */
    public static Identity of(ProcessInfo p) {
        String exe = p.executablePath();
        Source s = p.source();
        boolean unit = s.kind().unit();
        return new Identity(
                Optional.of(exe != null && !exe.isEmpty() ? exe : p.name()),
                unit && !s.name().isEmpty() ? Optional.of(s.name()) : Optional.empty(),
                Optional.of(p.user()),
                Optional.empty());
    }

    /**
     * Whether no field is given.
     *
     * @return true when any owner matches
     */
    public boolean any() {
        return executable.isEmpty() && unit.isEmpty() && user.isEmpty() && image.isEmpty();
    }

    /**
     * Whether a process has this identity.
     *
     * @param p the process
     * @return true when every field given matches (the image is not checked)
     */
    public boolean matches(ProcessInfo p) {
        if (executable.isPresent() && !executableMatches(executable.get(), p)) {
            return false;
        }
        if (unit.isPresent()) {
            Source s = p.source();
            boolean isUnit = s.kind().unit();
            if (!isUnit || !s.name().equals(unit.get())) {
                return false;
            }
        }
        return user.isEmpty() || user.get().equals(p.user()) || user.get().equals(Integer.toString(p.uid()));
    }

    private static boolean executableMatches(String wanted, ProcessInfo p) {
        String exe = p.executablePath();
        if (wanted.indexOf('/') >= 0) {
            return wanted.equals(exe);
        }
        if (exe != null && wanted.equals(exe.substring(exe.lastIndexOf('/') + 1))) {
            return true;
        }
        // the kernel's comm is cut at 15 characters
        String name = p.name();
        return wanted.equals(name) || (name.length() == 15 && wanted.startsWith(name));
    }

    /**
     * {@code executable /usr/sbin/sshd, unit ssh.service, user root}, or {@code any owner}.
     *
     * @return the fields given, for a person
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        executable.ifPresent(v -> parts.add("executable " + v));
        unit.ifPresent(v -> parts.add("unit " + v));
        user.ifPresent(v -> parts.add("user " + v));
        image.ifPresent(v -> parts.add("image " + v));
        return parts.isEmpty() ? "any owner" : String.join(", ", parts);
    }
}
