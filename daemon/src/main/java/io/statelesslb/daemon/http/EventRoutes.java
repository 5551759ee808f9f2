package io.statelesslb.daemon.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.api.codec.EventType;
import io.statelesslb.api.codec.Json;
import io.statelesslb.config.Configuration;
import io.statelesslb.daemon.feed.WatcherTooSlowException;
import io.statelesslb.daemon.server.Daemon;
import io.statelesslb.daemon.store.Submission;
import io.statelesslb.domain.event.ApplyFailed;
import io.statelesslb.domain.event.ApplyRecovered;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.GatewaySessionDown;
import io.statelesslb.domain.event.GatewaySessionUp;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.event.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The event log and the configuration.
 *
 * <pre>
 * GET  /v1/events[?after=SEQ][&amp;limit=N]    recorded events, oldest first
 * GET  /v1/events/watch[?after=SEQ]        Server-Sent Events; also resumes from the Last-Event-ID header
 * POST /v1/events                          one event in its self-describing form, as scenario files hold them
 * POST /v1/config[?dryRun][&amp;file=NAME]     a YAML configuration: submits exactly what differs from the state
 * </pre>
 */
final class EventRoutes {

    /** Idle watch streams carry a comment this often, so that proxies and clients see the connection alive. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private static final int DEFAULT_LIMIT = 1000;
    private static final int MAX_LIMIT = 10_000;

    private EventRoutes() {
    }

    static void add(Router router, Daemon daemon) {
        router.add("GET", "/v1/events/watch", call -> {
                    long after = resumeAfter(call);
                    Flux<String> frames = daemon.feed().watch(after).map(EventRoutes::frame);
                    return Mono.just(new Reply.Events(withHeartbeat(frames)));
                })
                .add("GET", "/v1/events", call -> {
                    long after = call.queryLong("after", 0, 0, Long.MAX_VALUE);
                    int limit = (int) call.queryLong("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
                    // Old events come from the log on disk: off the event loop.
                    return Mono.fromCallable(() -> Reply.ok(daemon.feed().list(after, limit).stream()
                            .map(recorded -> RecordedView.of(recorded, null)).toList()))
                            .subscribeOn(Schedulers.boundedElastic());
                })
                .add("POST", "/v1/events", call -> call.body().flatMap(body -> {
                    Event event = EventCodec.decodeTyped(new String(body, StandardCharsets.UTF_8));
                    if (event instanceof DriftObserved || event instanceof ApplyFailed
                            || event instanceof ApplyRecovered) {
                        throw ApiException.of(409, "recorded_by_controller", "type", "type="
                                + EventType.of(event).typeName() + " (expected: an event from outside; the controller"
                                + " records how the dataplane takes its operations itself)");
                    }
                    boolean machine = event instanceof ObservationEvent && !(event instanceof GatewaySessionUp
                            || event instanceof GatewaySessionDown);
                    if (machine && daemon.backend().observesMachine()) {
                        throw ApiException.of(409, "observed_by_backend", "type", "type="
                                + EventType.of(event).typeName() + " (expected: a configuration, target or gateway"
                                + " session event; the " + daemon.backend().name() + " backend observes the machine"
                                + " itself)");
                    }
                    return Submissions.submit(daemon, event, 201, call.flag("wait"));
                }))
                .add("POST", "/v1/config", call -> call.body().flatMap(body -> {
                    String file = call.query("file") == null ? "request" : call.query("file");
                    Configuration configuration = Configuration.parse(file, new String(body, StandardCharsets.UTF_8));
                    if (call.flag("dryRun")) {
                        List<Object> planned = new ArrayList<>();
                        for (Event event : configuration.changesFrom(daemon.state())) {
                            planned.add(RecordedView.typed(event));
                        }
                        return Mono.just(Reply.ok(new ConfigResult(true, planned, List.of())));
                    }
                    return Mono.fromCallable(() -> applied(daemon.applyConfiguration(configuration)))
                            .subscribeOn(Schedulers.boundedElastic());
                }));
    }

    private static Reply applied(List<Submission> answers) {
        List<Object> recorded = new ArrayList<>();
        for (Submission answer : answers) {
            if (answer instanceof Submission.Recorded r) {
                recorded.add(RecordedView.of(r.event(), null));
            } else {
                Submission.Rejected rejected = (Submission.Rejected) answer;
                // The file was checked against the state a moment ago; something else changed it since.
                return new Reply.Json(409, new ConfigResult(false, recorded, HttpApi.problems(rejected.problems())));
            }
        }
        return Reply.ok(new ConfigResult(false, recorded, List.of()));
    }

    /** @return the sequence to resume after: {@code ?after=}, else the Last-Event-ID header, else 0 */
    static long resumeAfter(Call call) {
        if (call.query("after") != null) {
            return call.queryLong("after", 0, 0, Long.MAX_VALUE);
        }
        String lastEventId = call.request().requestHeaders().get("Last-Event-ID");
        if (lastEventId == null) {
            return 0;
        }
        try {
            long after = Long.parseLong(lastEventId.strip());
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.of(400, "malformed", "Last-Event-ID", "Last-Event-ID=" + lastEventId
                + " (expected: the sequence of the last event received)");
    }

    static String frame(RecordedEvent recorded) {
        return "id: " + recorded.sequence() + "\nevent: " + EventType.of(recorded.event()).typeName() + "\ndata: "
                + RecordedView.of(recorded, null).toJson() + "\n\n";
    }

    static String frame(long id, String event, Object data) {
        try {
            return "id: " + id + "\nevent: " + event + "\ndata: " + Json.mapper().writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("watch data does not encode: " + e.getMessage(), e);
        }
    }

    /** Adds heartbeats, and turns a watcher that fell behind into a last {@code error} event. */
    static Flux<String> withHeartbeat(Flux<String> frames) {
        Flux<String> ended = frames.onErrorResume(WatcherTooSlowException.class, slow -> Flux.just(frame(0, "error",
                ApiException.of(503, "too_slow", "after", slow.getMessage()).body())));
        return ended.publish(shared -> Flux.merge(shared,
                Flux.interval(HEARTBEAT).map(tick -> ": keep-alive\n\n").takeUntilOther(shared.then())));
    }
}
