package io.statelesslb.cli;

import io.statelesslb.server.DaemonOptions;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where a daemon's API is, as {@code --server} and {@code $SLB_SERVER} give it: a URL ({@code http://host:port},
 * {@code https://host:port}), or {@code HOST:PORT} or {@code HOST} alone, which mean plain HTTP.
 */
final class ServerAddress implements ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        return parse(value);
    }

    /** @throws TypeConversionException when {@code value} names no HTTP(S) server, in the operator's words */
    static URI parse(String value) {
        String text = value.strip();
        String url = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused(value);
        }
        if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw refused(value);
        }
        int port = uri.getPort() != -1 ? uri.getPort()
                : uri.getScheme().equals("https") ? 443 : text.contains("://") ? 80 : DaemonOptions.DEFAULT_PORT;
        return URI.create(uri.getScheme() + "://" + (uri.getHost().contains(":") && !uri.getHost().startsWith("[")
                ? "[" + uri.getHost() + "]" : uri.getHost()) + ":" + port);
    }

    private static TypeConversionException refused(String value) {
        return new TypeConversionException("'" + value + "' (expected: the daemon's address, such as"
                + " http://127.0.0.1:" + DaemonOptions.DEFAULT_PORT + ", https://lb.example:8470 or 127.0.0.1:"
                + DaemonOptions.DEFAULT_PORT + ")");
    }
}
