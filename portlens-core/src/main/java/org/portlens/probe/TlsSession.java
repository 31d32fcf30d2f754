package org.portlens.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS client over one socket, driven by hand with an {@link SSLEngine} so that every read is
 * bounded in time and bytes and so that a server answering in plain text is noticed (its bytes
 * are kept for the other matchers). Certificates are not checked: this identifies, it does not
 * trust.
 */
final class TlsSession implements Exchange.Conn {

    /** How a handshake ended. */
    enum Outcome {
        /** Handshake done; the session can carry data. */
        ESTABLISHED,
        /** The server answered with something that is not TLS; see {@link #raw()}. */
        NOT_TLS,
        /** The server spoke TLS but the handshake failed (an alert, an old version…); see {@link #failure()}. */
        TLS_FAILED,
        /** Nothing came back before the deadline or the end of stream. */
        SILENT,
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private final byte[] chunk = new byte[8192];
    private byte[] raw = new byte[0];
    private int rawTotal;
    private boolean inboundDone;
    private String failure = "";

    TlsSession(Socket socket, SSLContext context, String host, int port, String[] alpn) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.engine = host == null ? context.createSSLEngine() : context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm(null);
        p.setApplicationProtocols(alpn);
        engine.setSSLParameters(p);
        SSLSession s = engine.getSession();
        netIn = ByteBuffer.allocate(s.getPacketBufferSize());
        netOut = ByteBuffer.allocate(s.getPacketBufferSize());
        appIn = ByteBuffer.allocate(s.getApplicationBufferSize());
    }

    /** A context that accepts every certificate and checks no host name. */
    static SSLContext trustingContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK offers no TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the handshake until {@code deadline}, reading at most {@code limit} bytes.
     */
    Outcome handshake(long deadline, int limit) {
        try {
            engine.beginHandshake();
            HandshakeStatus hs = engine.getHandshakeStatus();
            while (true) {
                switch (hs) {
                    case NEED_WRAP -> {
                        netOut.clear();
                        SSLEngineResult r = engine.wrap(EMPTY, netOut);
                        flushNetOut();
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            return failed("the handshake was closed");
                        }
                        hs = r.getHandshakeStatus();
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        netIn.flip();
                        SSLEngineResult r = engine.unwrap(netIn, appIn);
                        netIn.compact();
                        switch (r.getStatus()) {
                            case BUFFER_UNDERFLOW -> {
                                int n = readNet(deadline, limit);
                                if (n == -2) {
                                    return Outcome.NOT_TLS;
                                }
                                if (n <= 0) {
                                    if (rawTotal == 0) {
                                        return Outcome.SILENT;
                                    }
                                    return failed(
                                            n < 0
                                                    ? "the server closed the connection during the handshake"
                                                    : "the handshake timed out");
                                }
                            }
                            case BUFFER_OVERFLOW ->
                                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                            case CLOSED -> {
                                return failed("the server closed the handshake");
                            }
                            default -> hs = r.getHandshakeStatus();
                        }
                    }
                    case NEED_TASK -> {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                        hs = engine.getHandshakeStatus();
                    }
                    default -> {
                        return Outcome.ESTABLISHED;
                    }
                }
            }
        } catch (SSLException e) {
            return failed(Matching.clean(String.valueOf(e.getMessage())));
        } catch (SocketTimeoutException e) {
            return rawTotal == 0 ? Outcome.SILENT : failed("the handshake timed out");
        } catch (IOException e) {
            return rawTotal == 0 ? Outcome.SILENT : failed(Exchange.describe(e));
        } catch (RuntimeException e) {
            return failed(Matching.clean(String.valueOf(e.getMessage())));
        }
    }

    private Outcome failed(String why) {
        failure = why;
        return Outcome.TLS_FAILED;
    }

    /** Why the handshake failed, for {@link Outcome#TLS_FAILED}. */
    String failure() {
        return failure;
    }

    /** The first bytes the server sent (all of them for {@link Outcome#NOT_TLS}). */
    byte[] raw() {
        return raw.clone();
    }

    /** Bytes received on the wire during the handshake. */
    int rawTotal() {
        return rawTotal;
    }

    /** The negotiated ALPN protocol, or "". */
    String alpn() {
        String a = engine.getApplicationProtocol();
        return a == null ? "" : a;
    }

    /** What the handshake showed. */
    TlsInfo info() {
        SSLSession s = engine.getSession();
        String subject = "";
        String issuer = "";
        List<String> sans = new ArrayList<>();
        Instant notBefore = null;
        Instant notAfter = null;
        boolean expired = false;
        boolean selfSigned = false;
        try {
            Certificate[] chain = s.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                subject = Matching.clean(leaf.getSubjectX500Principal().getName());
                issuer = Matching.clean(leaf.getIssuerX500Principal().getName());
                notBefore = leaf.getNotBefore().toInstant();
                notAfter = leaf.getNotAfter().toInstant();
                expired = notAfter.isBefore(Instant.now());
                selfSigned = leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
                sans.addAll(sans(leaf));
            }
        } catch (SSLPeerUnverifiedException e) {
            // an anonymous cipher: no certificate to report
        }
        return new TlsInfo(
                s.getProtocol(),
                s.getCipherSuite(),
                alpn(),
                subject,
                issuer,
                sans,
                notBefore,
                notAfter,
                expired,
                selfSigned);
    }

    private static List<String> sans(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> san : all) {
                    if (san.size() >= 2
                            && san.get(0) instanceof Integer type
                            && (type == 2 || type == 7)
                            && san.get(1) instanceof String value
                            && out.size() < 100) {
                        out.add(Matching.clean(value));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unreadable extension: report none
        }
        return out;
    }

    /**
     * Reads raw bytes into {@code netIn}: n &gt; 0 bytes, 0 on timeout, -1 at end of stream, -2
     * when the first bytes are not a TLS record.
     */
    private int readNet(long deadline, int limit) throws IOException {
        if (rawTotal >= limit) {
            throw new SSLException("the server sent more than " + limit + " bytes without finishing the handshake");
        }
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize());
        }
        if (System.nanoTime() - deadline >= 0) {
            return 0;
        }
        socket.setSoTimeout(Exchange.millisLeft(deadline));
        int n;
        try {
            n = in.read(chunk, 0, Math.min(chunk.length, Math.min(netIn.remaining(), limit - rawTotal)));
        } catch (SocketTimeoutException e) {
            return 0;
        }
        if (n <= 0) {
            return n < 0 ? -1 : 0;
        }
        if (rawTotal == 0) {
            raw = Arrays.copyOf(chunk, n);
            if (!looksLikeTls(chunk, n)) {
                rawTotal = n;
                return -2;
            }
        }
        rawTotal += n;
        netIn.put(chunk, 0, n);
        return n;
    }

    /** A TLS record starts with a content type 20-23 and major version 3. */
    private static boolean looksLikeTls(byte[] b, int n) {
        return (b[0] >= 20 && b[0] <= 23) && (n < 2 || b[1] == 3);
    }

    private void flushNetOut() throws IOException {
        netOut.flip();
        if (netOut.hasRemaining()) {
            out.write(netOut.array(), netOut.position(), netOut.remaining());
            out.flush();
        }
        netOut.clear();
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + atLeast));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    @Override
    public void write(byte[] data) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                continue;
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS session is closed");
            }
            flushNetOut();
        }
    }

    @Override
    public int read(byte[] buf, int off, int len, long deadline) throws IOException {
        while (true) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(len, appIn.remaining());
                appIn.get(buf, off, n);
                appIn.compact();
                return n;
            }
            if (inboundDone) {
                return -1;
            }
            if (netIn.position() > 0) {
                netIn.flip();
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                netIn.compact();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    inboundDone = true;
                    continue;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                    continue;
                }
                HandshakeStatus hs = r.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    hs = engine.getHandshakeStatus();
                }
                if (hs == HandshakeStatus.NEED_WRAP) {
                    netOut.clear();
                    engine.wrap(EMPTY, netOut);
                    flushNetOut();
                }
                if (r.getStatus() == SSLEngineResult.Status.OK && (r.bytesConsumed() > 0 || r.bytesProduced() > 0)) {
                    continue;
                }
            }
            int n = readNet(deadline, Integer.MAX_VALUE);
            if (n < 0) {
                inboundDone = true;
                return appIn.position() > 0 ? 0 : -1;
            }
            if (n == 0) {
                return 0;
            }
        }
    }

    @Override
    public void close() {
        try {
            engine.closeOutbound();
            netOut.clear();
            engine.wrap(EMPTY, netOut);
            socket.setSoTimeout(50);
            flushNetOut();
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Accepts every certificate: identification, not trust. Extended, so the JDK adds no host name check. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
