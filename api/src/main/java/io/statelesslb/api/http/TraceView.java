package io.statelesslb.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The way of one traced packet: how it ended ({@code TO_TARGET}, {@code TO_GATEWAY}, {@code NOT_LOAD_BALANCED},
 * {@code HELD}, {@code DROPPED} with the reason), its fwmark, flow and stream, where it leaves, every step, and all
 * of it as text.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceView(String outcome, String dropReason, int fwmark, String flow, String stream, String egress,
                        String nextHop, String mac, List<String> steps, String text) {
}
