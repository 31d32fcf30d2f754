package org.portlens.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over a socket to 127.0.0.1, so that a test can send what java.net.http refuses
 * to (a foreign Host header, a huge request line) and see exactly what comes back.
 */
final class Http {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private Http() {}

    static Response get(int port, String path, String... headers) throws IOException {
        return send(port, "GET", path, null, headers);
    }

    static Response post(int port, String path, String form, String... headers) throws IOException {
        return send(port, "POST", path, form, headers);
    }

    static Response send(int port, String method, String path, String body, String... headers) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            boolean host = false;
            for (String h : headers) {
                host |= h.toLowerCase(Locale.ROOT).startsWith("host:");
                req.append(h).append("\r\n");
            }
            if (!host) {
                req.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                req.append("Content-Type: application/x-www-form-urlencoded\r\n");
                req.append("Content-Length: ").append(b.length).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return parse(all.toByteArray());
        }
    }

    private static Response parse(byte[] all) {
        String raw = new String(all, StandardCharsets.ISO_8859_1);
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        byte[] bodyBytes = end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(all, end + 4, all.length);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.merge(
                        lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(c + 1).strip(),
                        (a, x) -> a + "\n" + x);
            }
        }
        String body = headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")
                ? unchunk(bodyBytes)
                : new String(bodyBytes, StandardCharsets.UTF_8);
        return new Response(status, headers, body);
    }

    private static String unchunk(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < bytes.length) {
            int eol = indexOf(bytes, i);
            if (eol < 0) {
                break;
            }
            String sizeLine = new String(bytes, i, eol - i, StandardCharsets.US_ASCII).strip();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt(semi < 0 ? sizeLine : sizeLine.substring(0, semi), 16);
            if (size == 0) {
                break;
            }
            out.write(bytes, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
