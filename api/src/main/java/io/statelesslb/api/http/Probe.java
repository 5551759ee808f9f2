package io.statelesslb.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A probe's answer ({@code /healthz}, {@code /readyz}): {@code ok}, or {@code unavailable} with the reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Probe(String status, String reason) {
}
