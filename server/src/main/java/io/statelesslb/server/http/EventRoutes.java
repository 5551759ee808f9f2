package io.statelesslb.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.codec.CommandCodec;
import io.statelesslb.api.codec.EventType;
import io.statelesslb.api.codec.Json;
import io.statelesslb.api.http.ConfigResult;
import io.statelesslb.api.http.FieldProblem;
import io.statelesslb.api.http.RecordedView;
import io.statelesslb.config.Configuration;
import io.statelesslb.controller.Controller;
import io.statelesslb.controller.feed.WatcherTooSlowException;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.domain.command.Command;
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
 * POST /v1/events                          one event in its self-describing form, as scenario files hold them,
 *                                          decided as the command that asks for it
 * GET  /v1/config[?targets]                   the state as a YAML configuration that POST takes back unchanged
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

    static void add(Router router, Controller controller) {
        FrameCache frames = new FrameCache(EventRoutes::frame);
        router.add("GET", "/v1/events/watch", call -> {
                    long after = resumeAfter(call);
                    // Encoded off the event loop: on the worker that reads the history, then the feed's thread.
                    Flux<String> watched = controller.feed().watch(after, frames::frame);
                    return Mono.just(withHeartbeat(watched));
                })
                .add("GET", "/v1/events", call -> {
                    long after = call.queryLong("after", 0, 0, Long.MAX_VALUE);
                    int limit = (int) call.queryLong("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
                    // Old events come from the log on disk: off the event loop.
                    return Mono.fromCallable(() -> Reply.ok(controller.feed().list(after, limit).stream()
                            .map(recorded -> RecordedView.of(recorded, null)).toList()))
                            .subscribeOn(Schedulers.boundedElastic());
                })
                .add("POST", "/v1/events", call -> call.body().flatMap(body -> {
                    // A fact claimed from outside is decided like any other request: as the command asking for it.
                    Command command = CommandCodec.decodeTyped(new String(body, StandardCharsets.UTF_8));
                    EventType type = EventType.ofCommand(command);
                    if (type.source() == EventType.Source.CONTROLLER) {
                        throw ApiException.of(409, "recorded_by_controller", "type", "type=" + type.typeName()
                                + " (expected: an event from outside; the controller records how the dataplane"
                                + " takes its operations itself)");
                    }
                    if (type.source() == EventType.Source.MACHINE && !controller.acceptsMachineObservations()) {
                        throw ApiException.of(409, "observed_by_backend", "type", "type=" + type.typeName()
                                + " (expected: a configuration, target or gateway session event; the "
                                + controller.status().backend() + " backend observes the machine itself)");
                    }
                    return Submissions.submit(controller, call, command, 201);
                }))
                .add("GET", "/v1/config", call -> Mono.fromSupplier(() -> new Reply.Text(200, "application/yaml",
                        ConfigurationExport.yaml(controller.state(), call.flag("targets")))))
                .add("POST", "/v1/config", call -> call.body().flatMap(body -> {
                    String file = call.query("file") == null ? "request" : call.query("file");
                    Configuration configuration = Configuration.parse(file, new String(body, StandardCharsets.UTF_8));
                    if (call.flag("dryRun")) {
                        List<JsonNode> planned = configuration.eventsFrom(controller.state()).stream()
                                .map(RecordedView::typed).toList();
                        return Mono.just(Reply.ok(new ConfigResult(true, planned, List.of())));
                    }
                    return Mono.fromCallable(() -> applied(controller.submitAll(
                                    configuration.changesFrom(controller.state()), call.source() + ", file " + file)))
                            .subscribeOn(Schedulers.boundedElastic());
                }));
    }

    private static Reply applied(List<Submission> answers) {
        List<JsonNode> recorded = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (Submission answer : answers) {
            answer.fold(rejected -> problems.addAll(HttpApi.problems(rejected)), unchanged -> false,
                    r -> recorded.add(Json.mapper().valueToTree(RecordedView.of(r.event(), null))));
        }
        // A rejection here means the file was checked against the state a moment ago and something changed it since.
        return problems.isEmpty() ? Reply.ok(new ConfigResult(false, recorded, List.of()))
                : new Reply.Json(409, new ConfigResult(false, recorded, problems));
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
    static Reply.Events withHeartbeat(Flux<String> frames) {
        Flux<String> ended = frames.onErrorResume(WatcherTooSlowException.class, slow -> Flux.just(frame(0, "error",
                ApiException.of(503, "too_slow", "after", slow.getMessage()).body())));
        return new Reply.Events(ended.publish(shared -> Flux.merge(shared,
                Flux.interval(HEARTBEAT).map(tick -> ": keep-alive\n\n").takeUntilOther(shared.then()))));
    }
}
