package io.statelesslb.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** What a handler answers: a JSON document, a text document, or a stream of Server-Sent Events. */
public sealed interface Reply permits Reply.Json, Reply.Text, Reply.Events {

    /** Writes this reply as the response: status, headers and body. */
    Mono<Void> send(HttpServerResponse response);

    /** A JSON body, encoded by the API's strict mapper. */
    record Json(int status, Object body) implements Reply {

        @Override
        public Mono<Void> send(HttpServerResponse response) {
            response.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/json");
            if (status == 503) {
                // Unavailable means "busy or catching up": tell clients when to come back.
                response.header(HttpHeaderNames.RETRY_AFTER, "1");
            }
            return response.sendString(Mono.fromCallable(() ->
                    io.statelesslb.api.codec.Json.mapper().writeValueAsString(body) + "\n")).then();
        }
    }

    /** A text body of the given content type. */
    record Text(int status, String contentType, String body) implements Reply {

        @Override
        public Mono<Void> send(HttpServerResponse response) {
            return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .sendString(Mono.just(body)).then();
        }
    }

    /** Server-Sent Events, each already framed ({@code id:}, {@code event:}, {@code data:}, blank line). */
    record Events(Flux<String> frames) implements Reply {

        @Override
        public Mono<Void> send(HttpServerResponse response) {
            // Flushed at the end of each burst: a lone event goes out at once, a replayed history in few writes.
            return response.sse().send(frames.map(frame -> Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8)))
                    .then();
        }
    }

    static Reply ok(Object body) {
        return new Json(200, body);
    }
}
