package org.portlens.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.portlens.model.Source;
import org.portlens.watch.WatchEvent;

/**
 * Where one place stands after the events so far (a row of table {@code place}): open since when (or
 * closed), whether that is a lower bound, who holds it since when. The writer moves it with every event:
 *
 * <ul>
 *   <li>opened: open since now, exactly; owner since now.
 *   <li>present (a watcher's first sight): if closed, or if another watch run finds another socket there
 *       (it was closed and reopened while nobody watched), open since at least now; else unchanged (a
 *       new principal owner, as after a restart unseen, counts from now).
 *   <li>owner changed: owner since now (open since at least now if the history thought it closed).
 *   <li>closed: closed.
 * </ul>
 */
final class PlaceState {
    boolean open;

    @Nullable
    Instant since;

    boolean atLeast;

    @Nullable
    Instant ownerSince;

    @Nullable
    Instant last;

    long inode;
    long run = -1;

    @Nullable
    StoredProcess owner;

    void see(WatchEvent.Kind kind, Instant at, long socketInode, long runId, @Nullable StoredProcess who) {
        switch (kind) {
            case CLOSED:
                open = false;
                since = null;
                break;
            case OPENED:
                open = true;
                since = at;
                atLeast = false;
                ownerSince = at;
                owner = who;
                break;
            case PRESENT:
                if (!open || (socketInode != inode && runId != run)) {
                    open = true;
                    since = at;
                    atLeast = true;
                    ownerSince = at;
                    owner = who;
                } else if (who != null && !samePrincipal(owner, who)) {
                    ownerSince = at;
                    owner = who;
                }
                break;
            case OWNER_CHANGED:
                if (!open) {
                    open = true;
                    since = at;
                    atLeast = true;
                }
                ownerSince = at;
                owner = who;
                break;
        }
        inode = socketInode;
        run = runId;
        last = at;
    }

    private static boolean samePrincipal(@Nullable StoredProcess a, StoredProcess b) {
        return a != null && a.pid() == b.pid() && Objects.equals(a.startTime(), b.startTime());
    }

    /** Reads columns 1-13: open_since, at_least, owner_since, last_at, socket_inode, run_id, then the owner. */
    static PlaceState read(ResultSet r) throws SQLException {
        PlaceState st = new PlaceState();
        st.since = instant(r, 1);
        st.open = st.since != null;
        st.atLeast = r.getInt(2) != 0;
        st.ownerSince = instant(r, 3);
        st.last = instant(r, 4);
        st.inode = r.getLong(5);
        long run = r.getLong(6);
        st.run = r.wasNull() ? -1 : run;
        int pid = r.getInt(7);
        if (!r.wasNull()) {
            String kind = r.getString(12);
            Source.Kind k = null;
            if (kind != null) {
                try {
                    k = Source.Kind.valueOf(kind);
                } catch (IllegalArgumentException e) {
                    k = null;
                }
            }
            String name = r.getString(9);
            st.owner = new StoredProcess(
                    pid, instant(r, 8), name == null ? "" : name, r.getString(10), r.getString(11), k, r.getString(13));
        }
        return st;
    }

    /** Binds parameters 1-13 in the order of {@link #read}; returns the next parameter index. */
    int write(PreparedStatement p) throws SQLException {
        setLong(p, 1, open && since != null ? since.toEpochMilli() : null);
        p.setInt(2, atLeast ? 1 : 0);
        setLong(p, 3, ownerSince == null ? null : ownerSince.toEpochMilli());
        p.setLong(4, last == null ? 0 : last.toEpochMilli());
        p.setLong(5, inode);
        setLong(p, 6, run < 0 ? null : run);
        StoredProcess o = owner;
        if (o == null) {
            p.setNull(7, Types.INTEGER);
        } else {
            p.setInt(7, o.pid());
        }
        setLong(p, 8, o == null || o.startTime() == null ? null : o.startTime().toEpochMilli());
        p.setString(9, o == null ? null : o.name());
        p.setString(10, o == null ? null : o.executable());
        p.setString(11, o == null ? null : o.user());
        p.setString(
                12, o == null || o.sourceKind() == null ? null : o.sourceKind().name());
        p.setString(13, o == null ? null : o.sourceName());
        return 14;
    }

    private static @Nullable Instant instant(ResultSet r, int i) throws SQLException {
        long v = r.getLong(i);
        return r.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setLong(PreparedStatement p, int i, @Nullable Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.BIGINT);
        } else {
            p.setLong(i, v);
        }
    }
}
