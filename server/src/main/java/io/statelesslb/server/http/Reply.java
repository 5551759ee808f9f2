package io.statelesslb.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What a handler answers: a JSON document, a text document, a stream of Server-Sent Events, or the methods a path
 * allows.
 */
public sealed interface Reply permits Reply.Json, Reply.Text, Reply.Events, Reply.Allowed {

    /** Writes this reply as the response: status, headers and body. */
    Mono<Void> send(HttpServerResponse response);

    /** Writes this reply's status and headers alone, as the answer to HEAD (a stream is not started). */
    Mono<Void> sendHead(HttpServerResponse response);

    /** A JSON body, encoded by the API's strict mapper. */
    record Json(int status, Object body) implements Reply {

        @Override
        public Mono<Void> send(HttpServerResponse response) {
            headers(response);
            return response.sendString(Mono.fromCallable(this::encoded)).then();
        }

        @Override
        public Mono<Void> sendHead(HttpServerResponse response) {
            return Mono.fromCallable(this::encoded).flatMap(text -> {
                headers(response).header(HttpHeaderNames.CONTENT_LENGTH,
                        Integer.toString(text.getBytes(StandardCharsets.UTF_8).length));
                return response.send().then();
            });
        }

        private HttpServerResponse headers(HttpServerResponse response) {
            response.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/json");
            if (status == 503) {
                // Unavailable means "busy or catching up": tell clients when to come back.
                response.header(HttpHeaderNames.RETRY_AFTER, "1");
            }
            return response;
        }

        private String encoded() throws JsonProcessingException {
            return io.statelesslb.api.codec.Json.mapper().writeValueAsString(body) + "\n";
        }
    }

    /** A text body of the given content type. */
    record Text(int status, String contentType, String body) implements Reply {

        @Override
        public Mono<Void> send(HttpServerResponse response) {
            return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .sendString(Mono.just(body)).then();
        }

        @Override
        public Mono<Void> sendHead(HttpServerResponse response) {
            return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .header(HttpHeaderNames.CONTENT_LENGTH,
                            Integer.toString(body.getBytes(StandardCharsets.UTF_8).length))
                    .send().then();
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

        @Override
        public Mono<Void> sendHead(HttpServerResponse response) {
            return response.status(200).header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream").send().then();
        }
    }

    /** No content: the methods a path allows, as the answer to OPTIONS. */
    record Allowed(Set<String> methods) implements Reply {

        @Override
        public Mono<Void> send(HttpServerResponse response) {
            return response.status(204).header(HttpHeaderNames.ALLOW, String.join(", ", methods)).send().then();
        }

        @Override
        public Mono<Void> sendHead(HttpServerResponse response) {
            return send(response);
        }
    }

    static Reply ok(Object body) {
        return new Json(200, body);
    }
}
