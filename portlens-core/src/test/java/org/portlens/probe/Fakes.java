package org.portlens.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** In-process fake servers on 127.0.0.1, port 0, for the prober's tests; each closes all it opened. */
final class Fakes {

    private Fakes() {}

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What a fake does with one accepted connection. */
    interface Handler {
        void serve(Socket s) throws Exception;
    }

    /** A TCP server that runs its handler for each connection on a daemon thread. */
    static final class TcpServer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> clients = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();

        TcpServer(Handler handler) throws IOException {
            this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), handler);
        }

        TcpServer(ServerSocket server, Handler handler) {
            this.server = server;
            Thread acceptor = new Thread(
                    () -> {
                        while (!server.isClosed()) {
                            try {
                                Socket s = server.accept();
                                connections.incrementAndGet();
                                clients.add(s);
                                Thread t = new Thread(
                                        () -> {
                                            try {
                                                handler.serve(s);
                                            } catch (Exception e) {
                                                // the prober hung up: expected
                                            } finally {
                                                try {
                                                    s.close();
                                                } catch (IOException e) {
                                                    // closing anyway
                                                }
                                            }
                                        },
                                        "fake-conn");
                                t.setDaemon(true);
                                t.start();
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "fake-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    /** A UDP server that answers each datagram with {@code answer.apply(request)}, or not at all for null. */
    static final class UdpServer implements AutoCloseable {
        private final DatagramSocket socket;

        UdpServer(Function<byte[], byte[]> answer) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(
                    () -> {
                        byte[] buf = new byte[2048];
                        while (!socket.isClosed()) {
                            try {
                                DatagramPacket p = new DatagramPacket(buf, buf.length);
                                socket.receive(p);
                                byte[] req = Arrays.copyOf(p.getData(), p.getLength());
                                byte[] out = answer.apply(req);
                                if (out != null) {
                                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                                }
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "fake-udp");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** Reads what the client sends within {@code millis}, or until it stops for 50 ms after sending something. */
    static byte[] readRequest(Socket s, int millis) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long end = System.currentTimeMillis() + millis;
        byte[] buf = new byte[4096];
        while (System.currentTimeMillis() < end) {
            s.setSoTimeout(out.size() == 0 ? (int) Math.max(1, end - System.currentTimeMillis()) : 50);
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                if (out.size() > 0) {
                    break;
                }
            }
        }
        return out.toByteArray();
    }

    /** Keeps a connection open without a word until the client goes away. */
    static void stayQuiet(Socket s) throws IOException {
        s.setSoTimeout(0);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        while (in.read(buf) >= 0) {
            // swallow
        }
    }

    /** An SNMPv2c Response to the built-in probe (request id 0x706c0001) carrying {@code sysDescr} (under 100 bytes). */
    static String snmpResponse(String sysDescr) {
        String oid = "\u0006\u0008\u002b\u0006\u0001\u0002\u0001\u0001\u0001\u0000";
        String value = "\u0004" + (char) sysDescr.length() + sysDescr;
        String varbind = "\u0030" + (char) (oid.length() + value.length()) + oid + value;
        String list = "\u0030" + (char) varbind.length() + varbind;
        String pdu = "\u0002\u0004\u0070\u006c\u0000\u0001\u0002\u0001\u0000\u0002\u0001\u0000" + list;
        String response = "\u00a2" + (char) pdu.length() + pdu;
        String body = "\u0002\u0001\u0001\u0004\u0006public" + response;
        return "\u0030" + (char) body.length() + body;
    }
}
