package io.statelesslb.server.http;

import reactor.core.publisher.Mono;

/** Answers the requests of one route. */
@FunctionalInterface
public interface Handler {

    /** @return the reply; an {@link ApiException} (thrown or signalled) becomes a 4xx error body */
    Mono<Reply> handle(Call call);
}
