package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.portlens.discovery.linux.proc.UserDirectory;
import org.portlens.model.Owner;

/**
 * Who holds a socket: each holder the {@link FdIndex} found, read by {@link LinuxProcessReader}
 * as {@link Owner.Known}, {@link Owner.Gone} when it exited meanwhile, {@link Owner.Hidden} when it
 * cannot be read; with no holder, the reason as {@link Owner.Hidden} or {@link Owner.None}. Counts
 * what it could not show, for the coverage. Not thread-safe; one per read of the socket table.
 */
final class OwnerResolver {

    /** The owner of a socket with inode 0. */
    static final Owner KERNEL_SOCKET =
            new Owner.None("a kernel socket (inode 0): no process holds it (e.g. WireGuard, VXLAN, NFS)");

    private final LinuxProcessReader reader;
    private final UserDirectory users;
    private final FdIndex fds;
    private final int viewerUid;
    private final boolean privileged;
    private int hidden;
    private int gone;

    /**
     * @param viewerUid the effective uid portlens runs as (0 sees everything, -1 when unknown)
     */
    OwnerResolver(ProcRoot root, UserDirectory users, FdIndex fds, int viewerUid) {
        this.reader = new LinuxProcessReader(root, users);
        this.users = users;
        this.fds = fds;
        this.viewerUid = viewerUid;
        this.privileged = viewerUid == 0;
    }

    /** The owners of a socket: one per holder, or one saying why there is none. Never empty. */
    List<Owner> owners(SocketEntry e) {
        List<Owner> list = new ArrayList<>();
        List<FdIndex.Holder> holders = e.inode() == 0 ? List.of() : fds.holders(e.inode());
        for (FdIndex.Holder h : holders) {
            try {
                list.add(new Owner.Known(reader.read(h.pid()), h.fd()));
            } catch (NoSuchFileException exited) {
                list.add(new Owner.Gone(h.pid()));
                gone++;
            } catch (IOException unreadableProcess) {
                list.add(new Owner.Hidden(LinuxProcessReader.reason(unreadableProcess)));
                hidden++;
            }
        }
        if (list.isEmpty()) {
            Owner o = noOwner(e);
            if (o instanceof Owner.Hidden) {
                hidden++;
            }
            list.add(o);
        }
        return list;
    }

    /** Owners so far that could not be shown: unreadable, or possibly held by an unreadable process. */
    int hidden() {
        return hidden;
    }

    /** Owners so far that exited between the descriptor scan and reading their details. */
    int gone() {
        return gone;
    }

    /** One line each about processes that could not be read or exited; call after the last {@link #owners}. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        int unreadable = fds.unreadable();
        if (unreadable > 0 && !privileged) {
            notes.add(unreadable + " processes of other users could not be read; run as root to see what they hold");
        } else if (unreadable > 0) {
            notes.add("the descriptors of " + unreadable + " process(es) could not be read even as root (pid "
                    + unreadablePids() + "): the kernel or a security policy (sandbox, LSM) denied it");
        }
        if (gone > 0) {
            notes.add(gone + " owner process(es) exited between reading their descriptors and their details");
        }
        return notes;
    }

    private Owner noOwner(SocketEntry e) {
        int unreadable = fds.unreadable();
        if (e.inode() == 0) {
            return KERNEL_SOCKET;
        }
        if (!privileged && e.uid() != viewerUid) {
            return new Owner.Hidden("owned by a process of user " + users.name(e.uid()) + " (uid " + e.uid()
                    + "); run as root to see it");
        }
        if (!privileged && unreadable > 0) {
            return new Owner.Hidden("not held by any process portlens could read; " + unreadable
                    + " processes of other users could not be read; run as root to see them");
        }
        if (unreadable > 0) {
            return new Owner.Hidden("not held by any readable process; the descriptors of pid "
                    + unreadablePids() + " could not be read even as root (denied by the kernel"
                    + " or a security policy), so one of them may hold it");
        }
        return new Owner.None("no process holds it: a kernel socket, a socket being closed, or one held by a"
                + " process in a PID namespace portlens cannot see");
    }

    /** The first unreadable pids, comma-separated, with an ellipsis when there were more. */
    private String unreadablePids() {
        StringBuilder sb = new StringBuilder();
        for (int p : fds.unreadablePids()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p);
        }
        return fds.unreadable() > fds.unreadablePids().size() ? sb + ", …" : sb.toString();
    }
}
