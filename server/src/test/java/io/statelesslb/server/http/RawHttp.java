package io.statelesslb.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 by hand, for what a client library will not send: any Host, any header, on one kept-alive socket. */
final class RawHttp {

    private RawHttp() {
    }

    /** @return a request with a JSON body (or none) and the extra headers */
    static String request(String method, String path, String host, String body, Map<String, String> headers) {
        StringBuilder text = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (!headers.containsKey("Content-Type")) {
                text.append("Content-Type: application/json\r\n");
            }
            text.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body);
        } else {
            text.append("\r\n");
        }
        return text.toString();
    }

    static String request(String method, String path, String host, String body) {
        return request(method, path, host, body, Map.of());
    }

    /** Reads one response (headers, then a Content-Length or chunked body); @return its status */
    static int status(InputStream in) throws IOException {
        return response(in).status();
    }

    /** A response's status and body. */
    record Response(int status, String body) {
    }

    static Response response(InputStream in) throws IOException {
        String status = line(in);
        int length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring("content-length:".length()).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0;
                 size = Integer.parseInt(line(in).strip(), 16)) {
                body.writeBytes(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (length > 0) {
            body.writeBytes(in.readNBytes(length));
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection was closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
