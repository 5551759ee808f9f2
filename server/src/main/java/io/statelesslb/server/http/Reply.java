package io.statelesslb.server.http;

import reactor.core.publisher.Flux;

/** What a handler answers: a JSON document, a text document, or a stream of Server-Sent Events. */
public sealed interface Reply permits Reply.Json, Reply.Text, Reply.Events {

    /** A JSON body, encoded by the API's strict mapper. */
    record Json(int status, Object body) implements Reply {
    }

    /** A text body of the given content type. */
    record Text(int status, String contentType, String body) implements Reply {
    }

    /** Server-Sent Events, each already framed ({@code id:}, {@code event:}, {@code data:}, blank line). */
    record Events(Flux<String> frames) implements Reply {
    }

    static Reply ok(Object body) {
        return new Json(200, body);
    }
}
