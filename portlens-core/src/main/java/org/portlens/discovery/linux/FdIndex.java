package org.portlens.discovery.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.portlens.discovery.linux.proc.Cgroups;
import org.portlens.discovery.linux.proc.Stat;

/**
 * Which process holds which socket: the socket inodes behind every readable {@code /proc/PID/fd/N},
 * with how many processes were read, could not be read, or exited meanwhile. Built by a {@link Scan}
 * that reads the descriptors on several threads. Immutable once built; safe from any thread.
 */
final class FdIndex {

    /** How many unreadable pids are kept to name in a note. */
    static final int PIDS_NAMED = 5;

    /** One descriptor holding a socket; {@code fd} is -1 when its name is not a number. */
    record Holder(int pid, int fd) {
        static final Comparator<Holder> ORDER =
                Comparator.comparingInt(Holder::pid).thenComparingInt(Holder::fd);
    }

    private final Map<Long, List<Holder>> holders;
    private final int scanned;
    private final int unreadable;
    private final int vanished;
    private final List<Integer> unreadablePids;
    private final int skipped;

    private FdIndex(
            Map<Long, List<Holder>> holders,
            int scanned,
            int unreadable,
            int vanished,
            List<Integer> unreadablePids,
            int skipped) {
        this.holders = holders;
        this.scanned = scanned;
        this.unreadable = unreadable;
        this.vanished = vanished;
        this.unreadablePids = List.copyOf(unreadablePids);
        this.skipped = skipped;
    }

    /**
     * Starts reading the descriptors of {@code pids}, on up to 7 helper threads (none for fewer
     * than 64 processes); the thread calling {@link Scan#finish} joins in.
     */
    static Scan start(ProcRoot root, List<Integer> pids) {
        Scan scan = new Scan(root, pids);
        scan.start();
        return scan;
    }

    /** The descriptors holding the socket, by pid then fd; empty when none was seen or it was not asked for. */
    List<Holder> holders(long inode) {
        return holders.getOrDefault(inode, List.of());
    }

    /** Processes whose descriptors were read. */
    int scanned() {
        return scanned;
    }

    /** Processes whose descriptors could not be read (another user's, or denied by a security policy). */
    int unreadable() {
        return unreadable;
    }

    /** Processes that exited before their descriptors were read. */
    int vanished() {
        return vanished;
    }

    /** The first {@value #PIDS_NAMED} of the unreadable processes, to name in a note. */
    List<Integer> unreadablePids() {
        return unreadablePids;
    }

    /**
     * Processes whose descriptors were not read because every socket asked for had been found and they
     * are neither descendants of a holder nor in a holder's systemd unit ({@link Scan#finishOnceFound}).
     */
    int skipped() {
        return skipped;
    }

    /**
     * A running read of every process's descriptors. readlink on tens of thousands of fds is most
     * of a busy host's read, so it runs on as many threads as there are cores (up to 8) and
     * overlaps with whatever the starting thread does before {@link #finish}. Started and finished
     * by one thread.
     */
    static final class Scan {
        private final ProcRoot root;
        private final List<Integer> pids;
        private final AtomicInteger next = new AtomicInteger();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Part> parts = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean cancelled;
        /** The sockets asked for, once known ({@link #finishOnceFound}); null until then. */
        private volatile @Nullable Set<Long> wanted;
        /** The sockets asked for that no descriptor read so far holds. */
        private final Set<Long> missing = ConcurrentHashMap.newKeySet();
        /** Every socket asked for has a holder: claim no more processes. */
        private volatile boolean allFound;

        private Scan(ProcRoot root, List<Integer> pids) {
            this.root = root;
            this.pids = List.copyOf(pids);
        }

        private void start() {
            int cores = Runtime.getRuntime().availableProcessors();
            int helpers = Math.min(cores, 8) - 1;
            if (pids.size() < 64) {
                helpers = 0; // a quiet host: threads cost more than they save
            }
            for (int i = 0; i < helpers; i++) {
                Thread t = new Thread(this::work, "portlens-fd-scan-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        /**
         * Reads the rest of the descriptors on this thread too, waits for the helpers, and keeps
         * the holders of the sockets asked for. With no socket asked for, it stops reading
         * instead: the index then holds no holders, and its counts cover only what was read.
         *
         * @param inodes the sockets whose holders are wanted
         */
        FdIndex finish(Set<Long> inodes) {
            if (inodes.isEmpty()) {
                cancelled = true; // nothing to look for: don't wait for the rest of the descriptors
            } else {
                work();
            }
            join();
            return index(inodes);
        }

        /**
         * Like {@link #finish}, but stops claiming processes once every socket in {@code inodes} has a
         * holder, then reads, of the processes not read yet, only those that may share a descriptor with
         * a holder: its descendants (a descriptor is inherited across fork: prefork servers, a master
         * and its workers) and the processes in a holder's systemd unit or other cgroup of its own
         * (socket activation hands a unit's sockets to its service; a reload hands them to the new
         * process). Not found: a socket passed over a Unix socket to an unrelated process in another
         * cgroup, which a full scan ({@link #finish}) finds. For one port's few sockets, where reading
         * every process's descriptors costs most of the answer on a host with many open files.
         *
         * @param inodes the sockets whose holders are wanted
         */
        FdIndex finishOnceFound(Set<Long> inodes) {
            if (inodes.isEmpty()) {
                return finish(inodes);
            }
            missing.addAll(inodes);
            synchronized (parts) {
                wanted = inodes; // parts added from now on are checked by their thread
                for (Part p : parts) {
                    check(p);
                }
            }
            work();
            join();
            int claimed = Math.min(next.get(), pids.size());
            int skipped = 0;
            if (claimed < pids.size()) {
                List<Integer> rest = pids.subList(claimed, pids.size());
                Set<Integer> family = family(inodes, rest);
                Part part = new Part();
                for (int pid : rest) {
                    if (family.contains(pid)) {
                        readFds(pid, part);
                    } else {
                        skipped++;
                    }
                }
                parts.add(part);
            }
            return index(inodes, skipped);
        }

        /** Notes which of the sockets asked for {@code part} holds, from where it was checked last. */
        private void check(Part part) {
            for (int i = part.checked; i < part.size; i++) {
                if (missing.remove(part.inodes[i]) && missing.isEmpty()) {
                    allFound = true;
                }
            }
            part.checked = part.size;
        }

        /**
         * Of {@code rest}, the processes that may share a descriptor with a holder of {@code inodes}:
         * descendants of a holder, and processes in a holder's own cgroup (not the root one, which tells
         * nothing). Read from each process's stat (its parent) and cgroup; one that cannot be read is
         * kept, to be read in full.
         */
        private Set<Integer> family(Set<Long> inodes, List<Integer> rest) {
            Set<Integer> holders = new HashSet<>();
            synchronized (parts) {
                for (Part part : parts) {
                    for (int i = 0; i < part.size; i++) {
                        if (inodes.contains(part.inodes[i])) {
                            holders.add((int) (part.pidFds[i] >>> 32));
                        }
                    }
                }
            }
            Set<String> units = new HashSet<>();
            for (int h : holders) {
                String unit = Cgroups.unit(root.readOrEmpty(h + "/cgroup"));
                if (unit != null) {
                    units.add(unit);
                }
            }
            Map<Integer, Integer> parents = new HashMap<>();
            Set<Integer> family = new HashSet<>();
            for (int pid : rest) {
                String cgroup;
                try {
                    cgroup = root.read(pid + "/cgroup");
                } catch (IOException e) {
                    family.add(pid); // unreadable or gone: let the descriptor read say which
                    continue;
                }
                String unit = Cgroups.unit(cgroup);
                if ((unit != null && units.contains(unit)) || descends(pid, holders, parents)) {
                    family.add(pid);
                }
            }
            return family;
        }

        /** Whether {@code pid}'s chain of parents reaches a holder; a parent that cannot be read counts as one. */
        private boolean descends(int pid, Set<Integer> holders, Map<Integer, Integer> parents) {
            int p = pid;
            for (int depth = 0; depth < 4096 && p > 1; depth++) {
                Integer parent = parents.get(p);
                if (parent == null) {
                    try {
                        parent = Stat.parse(root.read(p + "/stat")).ppid();
                    } catch (IOException | RuntimeException e) {
                        parent = -1;
                    }
                    parents.put(p, parent);
                }
                if (parent < 0) {
                    return true; // cannot tell: read it
                }
                if (holders.contains(parent)) {
                    return true;
                }
                p = parent;
            }
            return false;
        }

        private FdIndex index(Set<Long> inodes) {
            return index(inodes, 0);
        }

        private FdIndex index(Set<Long> inodes, int skipped) {
            Map<Long, List<Holder>> holders = new HashMap<>();
            int scanned = 0;
            int unreadable = 0;
            int vanished = 0;
            List<Integer> unreadablePids = new ArrayList<>();
            synchronized (parts) {
                for (Part part : parts) {
                    scanned += part.scanned;
                    unreadable += part.unreadable;
                    vanished += part.vanished;
                    for (int p : part.unreadablePids) {
                        if (unreadablePids.size() < PIDS_NAMED) {
                            unreadablePids.add(p);
                        }
                    }
                    for (int i = 0; i < part.size; i++) {
                        if (inodes.contains(part.inodes[i])) {
                            holders.computeIfAbsent(part.inodes[i], k -> new ArrayList<>(1))
                                    .add(new Holder((int) (part.pidFds[i] >>> 32), (int) part.pidFds[i]));
                        }
                    }
                }
            }
            for (Map.Entry<Long, List<Holder>> e : holders.entrySet()) {
                e.getValue().sort(Holder.ORDER);
                e.setValue(List.copyOf(e.getValue()));
            }
            return new FdIndex(holders, scanned, unreadable, vanished, unreadablePids, skipped);
        }

        private void join() {
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading file descriptors", e);
                }
            }
        }

        private void work() {
            Part part = new Part();
            int i;
            while (!cancelled && !allFound && (i = next.getAndIncrement()) < pids.size()) {
                readFds(pids.get(i), part);
                if (wanted != null) {
                    check(part);
                }
            }
            synchronized (parts) {
                parts.add(part);
                if (wanted != null) {
                    check(part);
                }
            }
        }

        /** Reads one process's descriptors, keeping every socket. */
        private void readFds(int pid, Part part) {
            Path fdDir = root.pidDir(pid).resolve("fd");
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
                for (Path fd : fds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (AccessDeniedException e) {
                        // listing allowed, reading links not (another user, or a sandbox denies even root)
                        part.unreadable++;
                        part.unreadablePids.add(pid);
                        return;
                    } catch (IOException e) {
                        continue; // closed meanwhile
                    }
                    long inode = ProcLinks.socketInode(target);
                    if (inode > 0) {
                        String name = fd.getFileName().toString();
                        part.add(inode, pid, ProcRoot.isDigits(name) ? Integer.parseInt(name) : -1);
                    }
                }
                part.scanned++;
            } catch (AccessDeniedException e) {
                part.unreadable++;
                part.unreadablePids.add(pid);
            } catch (IOException | DirectoryIteratorException e) {
                part.vanished++; // the process exited (ENOENT while listing surfaces as DirectoryIteratorException)
            }
        }
    }

    /** What one thread found: every socket fd as (inode, pid << 32 | fd), in two growing arrays. */
    private static final class Part {
        long[] inodes = new long[256];
        long[] pidFds = new long[256];
        int size;
        /** Entries before this one were checked against the sockets asked for. */
        int checked;

        final List<Integer> unreadablePids = new ArrayList<>();
        int scanned;
        int unreadable;
        int vanished;

        void add(long inode, int pid, int fd) {
            if (size == inodes.length) {
                inodes = Arrays.copyOf(inodes, size * 2);
                pidFds = Arrays.copyOf(pidFds, size * 2);
            }
            inodes[size] = inode;
            pidFds[size] = ((long) pid << 32) | (fd & 0xffffffffL);
            size++;
        }
    }
}
