package io.statelesslb.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.api.codec.Json;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.RecordedEvent;

/**
 * A recorded event as the API shows it: its sequence, when it was recorded, the event in its self-describing
 * form ({@code {"type":"TargetRegistered",...}}), who asked for it (absent in records written before sources were
 * kept), the instance whose own observation it is (in a trench of several; absent for the trench's facts), and,
 * when the caller waited for it, whether it is applied. A change
 * the state already held is answered the same way with {@code unchanged} true: nothing was recorded, the event is
 * what would have been, and the sequence is the state's last (there is no timestamp).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordedView(long sequence, String timestamp, JsonNode event, String source, String instance,
                           Boolean applied, Boolean unchanged) {

    /** @return the view of {@code recorded} */
    public static RecordedView of(RecordedEvent recorded, Boolean applied) {
        return new RecordedView(recorded.sequence(), recorded.timestamp().toString(), typed(recorded.event()),
                recorded.source(), recorded.instance(), applied, null);
    }

    /** @return the answer to a change the state at {@code sequence} already held: {@code event} was not recorded */
    public static RecordedView unchanged(long sequence, Event event, Boolean applied) {
        return new RecordedView(sequence, null, typed(event), null, null, applied, true);
    }

    /** @return whether nothing was recorded, because the state already held the change */
    public boolean changedNothing() {
        return Boolean.TRUE.equals(unchanged);
    }

    /** @return the event this view shows, decoded from its self-describing form */
    public Event decoded() {
        return EventCodec.decodeTyped(event.toString());
    }

    /** @return the event in its self-describing form, {@code {"type":...,...}} */
    public static JsonNode typed(Event event) {
        return EventCodec.typedTree(event);
    }

    /** @return the view as one line of JSON */
    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recorded event does not encode: " + e.getMessage(), e);
        }
    }
}
