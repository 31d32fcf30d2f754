package org.portlens.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers before a request reaches the routes (a request line or headers over the
 * limit: 414, 431; a malformed request: 400): the same JSON error document as the routes, with the
 * same Content-Security-Policy, and no server details.
 *
 * <p>Thread-safe.
 */
final class JettyErrors extends ErrorHandler {

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String why;
        switch (code) {
            case 414:
                why = "the request line is over " + WebServer.MAX_HEADERS / 1024 + " KB";
                break;
            case 431:
                why = "the request headers are over " + WebServer.MAX_HEADERS / 1024 + " KB";
                break;
            case 413:
                why = "the request body is over " + WebServer.MAX_BODY / 1024 + " KB";
                break;
            default:
                why = "bad request (HTTP " + code + ")";
        }
        String body = "{\n  \"schema\" : \"portlens/2\",\n  \"kind\" : \"error\",\n  \"status\" : " + code
                + ",\n  \"error\" : \"" + why + "\"\n}\n";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("Content-Security-Policy", Guard.CSP);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
