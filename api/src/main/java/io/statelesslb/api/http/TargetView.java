package io.statelesslb.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A target as the API shows it: what was registered, the fwmark and rule priority it was given, and whether the
 * dataplane sends it traffic ({@code active}), holds it back ({@code disabled}), or cannot yet
 * ({@code pending}, with the reason).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetView(String stream, int identifier, List<String> ips, boolean enabled, int fwmark,
                         int rulePriority, String status, String reason) {
}
