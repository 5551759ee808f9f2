package io.statelesslb.server.http;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.statelesslb.api.codec.CodecException;
import io.statelesslb.api.http.FieldProblem;
import io.statelesslb.api.http.Probe;
import io.statelesslb.config.ConfigError;
import io.statelesslb.config.ConfigException;
import io.statelesslb.controller.Controller;
import io.statelesslb.controller.pipeline.PipelineRefusedException;
import io.statelesslb.domain.decide.Problem;
import io.statelesslb.eventlog.EventLogException;
import io.statelesslb.eventlog.stream.EventStreamUnavailableException;
import java.io.ByteArrayOutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The daemon's HTTP API (JSON, described in docs/openapi.yaml): routing, the bearer token on every request that is
 * not a read, size-limited bodies, and one error shape for every refusal. The resources are in the
 * {@code *Routes} classes of this package.
 *
 * <p>It listens as soon as it is bound, before the controller is open: a daemon holds its port while it recovers
 * its log and reads the kernel, and until {@link #serve} every request but {@code /healthz} is answered 503,
 * starting.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    /** A connection's kernel send buffer: a page of 10,000 events takes a few round trips, nothing more. */
    private static final int SEND_BUFFER_BYTES = 128 * 1024;

    private static final Router STARTING = new Router().add("GET", "/healthz",
            call -> Mono.just(Reply.ok(new Probe("ok", null))));

    private volatile Router router = STARTING;
    private final Supplier<String> metrics;
    private final byte[] token;
    private final int maxBodyBytes;
    private DisposableServer server;
    private SameOrigin sameOrigin;

    private HttpApi(Supplier<String> metrics, String token, int maxBodyBytes) {
        this.metrics = metrics;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** @return every route of the API, specific patterns before general ones */
    static Router routes(Controller controller, Supplier<String> metrics) {
        Router router = new Router();
        HealthRoutes.add(router, controller, metrics);
        TargetRoutes.add(router, controller);
        EventRoutes.add(router, controller);
        ViewRoutes.add(router, controller);
        DefinitionRoutes.add(router, controller);
        return router;
    }

    /**
     * Starts listening; until {@link #serve}, the daemon is starting.
     *
     * @param metrics the metrics in Prometheus' text format, for {@code /metrics}
     * @param token   the bearer token that requests other than GET must carry, or null for none
     * @throws IllegalArgumentException when the address cannot be listened on (the port is taken)
     */
    public static HttpApi bind(Supplier<String> metrics, String host, int port, String token, int maxBodyBytes) {
        return bind(metrics, host, port, token, maxBodyBytes, Limits.DEFAULTS);
    }

    /** {@link #bind(Supplier, String, int, String, int)} with other limits on connections. */
    public static HttpApi bind(Supplier<String> metrics, String host, int port, String token, int maxBodyBytes,
                               Limits limits) {
        return bind(metrics, host, port, token, maxBodyBytes, limits, null);
    }

    /**
     * {@link #bind(Supplier, String, int, String, int, Limits)}, serving HTTPS when {@code tls} is given.
     *
     * @throws IllegalArgumentException when the certificate or the key cannot be read, in the operator's words
     */
    public static HttpApi bind(Supplier<String> metrics, String host, int port, String token, int maxBodyBytes,
                               Limits limits, Tls tls) {
        HttpApi api = new HttpApi(metrics, token, maxBodyBytes);
        // HTTP/1.1, and HTTP/2 over cleartext for clients that ask to upgrade (the JDK's client does by default).
        // The upgrade request's body is held while upgrading, so it gets the same limit as any body. A client holds a
        // connection only while it uses it: idle ones are closed, a request must arrive whole in time (no
        // slowloris), and beyond the limit new connections are refused. The send buffer is fixed, not left to the
        // kernel's tuning (up to 4 MiB on loopback): a watcher that stops reading is then seen to fall behind, and
        // ended as documented, after 10,000 events rather than some 30,000.
        HttpServer server = HttpServer.create().host(host).port(port).protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
                .httpRequestDecoder(spec -> spec.h2cMaxContentLength(maxBodyBytes))
                .idleTimeout(limits.idle())
                .readTimeout(limits.requestRead())
                .requestTimeout(limits.requestRead())
                .maxConnections(limits.maxConnections())
                // A response the client does not read (a watcher that stopped, the send buffer full) cannot hold
                // its connection: one whose pending bytes have not moved within the limit is closed.
                .doOnConnection(connection -> connection.addHandlerLast(new StalledWrites(limits.writeStall())))
                .handle(api::handle);
        if (tls != null) {
            SslContext context = tls.context();
            // HTTPS speaks HTTP/1.1 (the cleartext HTTP/2 upgrade has no place over TLS).
            server = server.protocol(HttpProtocol.HTTP11).secure(spec -> spec.sslContext(context));
        }
        try {
            api.server = server.bindNow();
            api.sameOrigin = new SameOrigin(host, api.address().getPort());
            return api;
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException("--listen " + host + ":" + port + ": cannot listen there ("
                    + cause.getMessage() + "; expected: a free port on an address of this machine)", e);
        }
    }

    /**
     * How long and how many connections are held.
     *
     * @param idle           a kept-alive connection with no request in flight is closed after this
     * @param requestRead    a request (headers and body) must arrive whole within this
     * @param maxConnections connections open at once; more are refused
     * @param writeStall     a connection whose pending response bytes have not moved for this long is closed
     */
    public record Limits(Duration idle, Duration requestRead, int maxConnections, Duration writeStall) {

        /** A minute idle, 10 s to send a request, 1,024 connections, 30 s for a write to leave. */
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(10), 1024,
                Duration.ofSeconds(30));
    }

    /**
     * The certificate chain and private key the API serves HTTPS with, both PEM files, so that a token sent from
     * another machine never crosses the network in clear.
     */
    public record Tls(Path certificate, Path key) {

        SslContext context() {
            try {
                return SslContextBuilder.forServer(certificate.toFile(), key.toFile()).build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("--tls-cert " + certificate + " --tls-key " + key + ": cannot"
                        + " serve HTTPS with them (" + e.getMessage() + "; expected: a PEM certificate chain and its"
                        + " PEM private key, PKCS#8 unencrypted)", e);
            }
        }
    }

    /** Serves {@code controller}'s resources from now on. */
    public void serve(Controller controller) {
        router = routes(controller, metrics);
    }

    /** @return the address it listens on */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    /** Stops listening, waiting a few seconds for the requests being answered. */
    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String method = request.method().name();
        Mono<Reply> reply = Mono.defer(() -> {
            boolean write = !READS.contains(method);
            String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
            boolean hasBody = length != null ? !length.strip().equals("0")
                    : request.requestHeaders().contains(HttpHeaderNames.TRANSFER_ENCODING);
            Optional<ApiException> foreign = sameOrigin.refusal(request.requestHeaders().get(HttpHeaderNames.HOST),
                    request.requestHeaders().get(HttpHeaderNames.ORIGIN), write,
                    request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE), hasBody);
            if (foreign.isPresent()) {
                throw foreign.get();
            }
            if (write && !authorized(request)) {
                response.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                throw ApiException.of(401, "unauthorized", "Authorization", "this request changes the load balancer:"
                        + " it needs the header Authorization: Bearer <token> with the daemon's token");
            }
            Router routes = router;
            if (routes == STARTING && !uri.path().equals("/healthz")) {
                throw ApiException.of(503, "unavailable", "", "starting: recovering the event log and reading the"
                        + " dataplane");
            }
            Set<String> allowed = routes.allowed(uri.path());
            if (method.equals("OPTIONS") && !allowed.isEmpty()) {
                return Mono.just(new Reply.Allowed(allowed));
            }
            // HEAD is GET without the body: the same handler, the same status and headers.
            Router.Match match = routes.match(method.equals("HEAD") ? "GET" : method, uri.path()).orElseThrow(() -> {
                if (allowed.isEmpty()) {
                    return ApiException.of(404, "not_found", "path", "no resource at " + uri.path()
                            + " (expected: a path from docs/openapi.yaml, such as /v1/targets)");
                }
                response.header(HttpHeaderNames.ALLOW, String.join(", ", allowed));
                List<String> methods = List.copyOf(allowed);
                return ApiException.of(405, "method_not_allowed", "method", method + " " + uri.path()
                        + " (expected: " + String.join(", ", methods.subList(0, methods.size() - 1)) + " or "
                        + methods.get(methods.size() - 1) + ")");
            });
            return match.handler().handle(new Call(request, match.variables(), uri.parameters(), body(request)));
        }).onErrorResume(error -> Mono.just(error(method, uri.path(), error)));
        // Answers are often ready on another thread (the log writer's, once an event is durable). Written from there,
        // reactor-netty can miss the end of the exchange, and the next request on a kept-alive connection waits
        // forever: the answer is written, and the exchange ended, on the connection's own event loop.
        Scheduler loop = eventLoop(request);
        boolean head = method.equals("HEAD");
        return reply.publishOn(loop).flatMap(answer -> head ? answer.sendHead(response) : answer.send(response));
    }

    /** @return the event loop of the request's connection, as a scheduler */
    private static Scheduler eventLoop(HttpServerRequest request) {
        AtomicReference<Executor> loop = new AtomicReference<>();
        request.withConnection(connection -> loop.set(connection.channel().eventLoop()));
        return loop.get() == null ? Schedulers.immediate() : Schedulers.fromExecutor(loop.get());
    }

    private boolean authorized(HttpServerRequest request) {
        if (token == null) {
            return true;
        }
        String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        // Constant time, so the comparison does not tell how much of a guess was right.
        return MessageDigest.isEqual(token,
                header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8));
    }

    private Mono<byte[]> body(HttpServerRequest request) {
        String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()
                && Long.parseLong(length) > maxBodyBytes) {
            return Mono.error(tooLarge());
        }
        return request.receive().asByteArray()
                .reduceWith(ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + chunk.length > maxBodyBytes) {
                        throw tooLarge();
                    }
                    out.writeBytes(chunk);
                    return out;
                })
                .map(ByteArrayOutputStream::toByteArray)
                .defaultIfEmpty(new byte[0]);
    }

    private ApiException tooLarge() {
        return ApiException.of(413, "too_large", "body", "the body is larger than " + maxBodyBytes
                + " bytes (expected: at most that; split large changes)");
    }

    static Reply error(String method, String path, Throwable error) {
        ApiException api;
        if (error instanceof ApiException e) {
            api = e;
        } else if (error instanceof PipelineRefusedException e) {
            api = ApiException.of(503, e.getMessage().startsWith("pipeline busy") ? "busy" : "closing", "pipeline",
                    e.getMessage());
        } else if (error instanceof ConfigException e) {
            api = new ApiException(400, "config", e.errors().stream()
                    .map((ConfigError c) -> new FieldProblem(c.field(), "config", c.toString())).toList());
        } else if (error instanceof CodecException e) {
            api = ApiException.of(400, "malformed", "body", e.getMessage());
        } else if (cause(error, EventLogException.class) != null) {
            // The log refuses writes (a full disk, a failed fsync): nothing was recorded. Said once per request,
            // without a stack trace: the daemon logged the failure itself when it happened.
            EventLogException failure = cause(error, EventLogException.class);
            boolean full = String.valueOf(failure.getMessage()).contains("No space left on device");
            LOG.warn("{} {} refused: the event log cannot be written ({})", method, path, failure.getMessage());
            api = ApiException.of(full ? 507 : 503, full ? "insufficient_storage" : "log_unavailable", "",
                    "nothing was recorded: the event log cannot be written (" + (full ? "the disk is full; free"
                            + " space, then restart the daemon" : failure.getMessage() + "; see slb status") + ")");
        } else if (cause(error, EventStreamUnavailableException.class) != null) {
            // etcd has no quorum or cannot be reached. A write whose answer did not come may still be committed
            // later (etcd's client retries it, and its transaction holds only if the stream has not moved): the
            // stream tells, and every instance folds it then. The dataplane keeps the state it has.
            EventStreamUnavailableException unavailable = cause(error, EventStreamUnavailableException.class);
            LOG.warn("{} {} refused: the event stream cannot take writes ({})", method, path, unavailable.getMessage());
            api = ApiException.of(503, "store_unavailable", "", "not known to be recorded: the trench's event stream"
                    + " cannot take writes now (" + unavailable.getMessage() + "); the dataplane keeps forwarding"
                    + " with the last state; once slb status says ready, slb events tells whether it was recorded,"
                    + " and the same request again records it at most once");
        } else {
            LOG.error("{} {} failed", method, path, error);
            api = ApiException.of(500, "internal", "", "internal error: " + error);
        }
        return new Reply.Json(api.status(), api.body());
    }

    /** @return the first cause of {@code error} (itself included) that is a {@code kind}, or null */
    private static <T extends Throwable> T cause(Throwable error, Class<T> kind) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return kind.cast(cause);
            }
        }
        return null;
    }

    /** @return the problems of a rejected event as field problems */
    static List<FieldProblem> problems(io.vavr.collection.List<Problem> problems) {
        return problems.map(p -> new FieldProblem(p.field(), p.kind().name().toLowerCase(Locale.ROOT),
                p.message())).toJavaList();
    }
}
