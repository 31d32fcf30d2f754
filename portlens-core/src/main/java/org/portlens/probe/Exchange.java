package org.portlens.probe;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Bounded reading and writing on one connection, plain or TLS. */
final class Exchange {

    private Exchange() {}

    /** One connection's byte stream. */
    interface Conn extends Closeable {
        void write(byte[] data) throws IOException;

        /** Reads at most {@code len} bytes, waiting until {@code deadline} (nanoTime); -1 at end of stream, 0 on timeout. */
        int read(byte[] buf, int off, int len, long deadline) throws IOException;
    }

    /** What one exchange got back. */
    record Response(byte[] data, int length, boolean eof, String error) {
        static final Response NOTHING = new Response(new byte[0], 0, false, "");

        boolean empty() {
            return length == 0;
        }
    }

    /** Milliseconds left until {@code deadline}, at least 1 (0 means "forever" to sockets). */
    static int millisLeft(long deadline) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    /**
     * Reads an answer: until end of stream, {@code maxBytes}, or {@code deadline}; once some
     * matcher matches firmly, only for {@code settle} more of quiet (to take in the rest of a burst
     * such as an HTTP body), and after other bytes only for {@code idle} more of quiet.
     */
    static Response read(
            Conn conn, List<ResponseMatcher> matchers, int maxBytes, long deadline, long settle, long idle) {
        byte[] buf = new byte[Math.min(maxBytes, 4096)];
        int len = 0;
        boolean matched = false;
        boolean eof = false;
        String error = "";
        long quietUntil = Long.MAX_VALUE;
        while (len < maxBytes) {
            long until = Math.min(deadline, quietUntil);
            if (System.nanoTime() - until >= 0) {
                break;
            }
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(maxBytes, buf.length * 2));
            }
            int n;
            try {
                n = conn.read(buf, len, buf.length - len, until);
            } catch (IOException e) {
                error = describe(e);
                eof = true;
                break;
            }
            if (n < 0) {
                eof = true;
                break;
            }
            if (n == 0) {
                break;
            }
            len += n;
            if (!matched) {
                Matching.Identification id = Matching.identify(matchers, buf, len);
                matched = id != null && !id.soft(); // a soft match may still grow into a firm one
            }
            quietUntil = System.nanoTime() + (matched ? settle : idle);
        }
        return new Response(buf, len, eof, error);
    }

    /** A short description of an I/O failure for people ("connection reset"). */
    static String describe(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String l = m.toLowerCase(Locale.ROOT);
        if (l.contains("refused")) {
            return "connection refused";
        }
        if (l.contains("reset")) {
            return "connection reset";
        }
        if (l.contains("no route")) {
            return "no route";
        }
        if (l.contains("unreachable")) {
            return "network unreachable";
        }
        if (l.contains("broken pipe")) {
            return "connection closed by the server";
        }
        return Matching.clean(l);
    }

    /** A plain TCP connection, optionally replaying bytes already read from it first. */
    static final class PlainConn implements Conn {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private byte[] replay;
        private int replayAt;

        PlainConn(Socket socket) throws IOException {
            this(socket, new byte[0]);
        }

        PlainConn(Socket socket, byte[] replay) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.replay = replay;
        }

        Socket socket() {
            return socket;
        }

        @Override
        public void write(byte[] data) throws IOException {
            out.write(data);
            out.flush();
        }

        @Override
        public int read(byte[] buf, int off, int len, long deadline) throws IOException {
            if (replayAt < replay.length) {
                int n = Math.min(len, replay.length - replayAt);
                System.arraycopy(replay, replayAt, buf, off, n);
                replayAt += n;
                if (replayAt == replay.length) {
                    replay = new byte[0];
                    replayAt = 0;
                }
                return n;
            }
            if (System.nanoTime() - deadline >= 0) {
                return 0;
            }
            socket.setSoTimeout(millisLeft(deadline));
            try {
                return in.read(buf, off, len);
            } catch (SocketTimeoutException e) {
                return 0;
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
