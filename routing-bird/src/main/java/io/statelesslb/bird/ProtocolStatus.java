package io.statelesslb.bird;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One protocol as {@code show protocols all} shows it: the summary line ({@code 1002}) and the details under it
 * ({@code 1006}).
 *
 * @param name          the protocol's name
 * @param state         BIRD's protocol state: {@code up}, {@code start}, {@code stop}, {@code down}
 * @param since         when the state last changed (the configuration writes times as Unix seconds)
 * @param info          the summary's last column: BGP's state ({@code Established}, {@code Active}, ...)
 * @param lastError     the detail {@code Last error}, or empty
 * @param routesLearned the routes its channel imported
 */
public record ProtocolStatus(String name, String state, Optional<Instant> since, String info, String lastError,
                             int routesLearned) {

    private static final Pattern ROUTES = Pattern.compile("Routes:\\s+(\\d+) imported");
    private static final int SUMMARY = 1002;
    private static final int DETAIL = 1006;

    /** @return whether the protocol is up: for BGP, the session is established */
    public boolean up() {
        return state.equals("up");
    }

    /** @return every protocol of a {@code show protocols all} reply, by name */
    public static Map<String, ProtocolStatus> parse(BirdReply reply) {
        Map<String, ProtocolStatus> protocols = new HashMap<>();
        String[] summary = null;
        String lastError = "";
        int routes = 0;
        for (BirdReply.Line line : reply.lines()) {
            if (line.code() == SUMMARY) {
                put(protocols, summary, lastError, routes);
                summary = line.text().trim().split("\\s+", 6);
                lastError = "";
                routes = 0;
            } else if (line.code() == DETAIL && summary != null) {
                String text = line.text().trim();
                if (text.startsWith("Last error:")) {
                    lastError = text.substring("Last error:".length()).trim();
                }
                Matcher matcher = ROUTES.matcher(text);
                if (matcher.find()) {
                    routes += Integer.parseInt(matcher.group(1));
                }
            }
        }
        put(protocols, summary, lastError, routes);
        return protocols;
    }

    private static void put(Map<String, ProtocolStatus> protocols, String[] summary, String lastError, int routes) {
        if (summary == null || summary.length < 4) {
            return;
        }
        Optional<Instant> since = Optional.empty();
        if (summary.length > 4 && summary[4].chars().allMatch(Character::isDigit)) {
            since = Optional.of(Instant.ofEpochSecond(Long.parseLong(summary[4])));
        }
        String info = summary.length > 5 ? summary[5].trim() : "";
        protocols.put(summary[0], new ProtocolStatus(summary[0], summary[3], since, info, lastError, routes));
    }

    /** @return each BFD session's state ({@code Up}, {@code Down}, {@code Init}, ...) by neighbour address */
    public static Map<String, String> parseBfd(BirdReply reply) {
        Map<String, String> sessions = new HashMap<>();
        for (String text : reply.lines(1020)) {
            List<String> columns = List.of(text.trim().split("\\s+"));
            // Rows are "ADDRESS INTERFACE STATE SINCE INTERVAL TIMEOUT"; the protocol's name and the header are not.
            if (columns.size() >= 3 && (columns.get(0).contains(".") || columns.get(0).contains(":"))
                    && !columns.get(0).endsWith(":")) {
                sessions.put(columns.get(0), columns.get(2));
            }
        }
        return sessions;
    }
}
