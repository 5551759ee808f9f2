package io.statelesslb.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Routes by method and path pattern ({@code /v1/targets/{stream}/{identifier}}): the first route whose pattern
 * matches wins, so specific patterns are added before general ones.
 */
public final class Router {

    /** A route that matched, with its path variables. */
    public record Match(Handler handler, Map<String, String> variables) {
    }

    private record Route(String method, String[] segments, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route; {@code pattern} segments in braces are variables. */
    public Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, segments(pattern), handler));
        return this;
    }

    /** @return every route as {@code METHOD /pattern}, in the order they are tried */
    public List<String> describe() {
        return routes.stream().map(route -> route.method + " /" + String.join("/", route.segments)).toList();
    }

    /** @return the route for the request, if one matches both path and method */
    public Optional<Match> match(String method, String path) {
        String[] segments = segments(path);
        for (Route route : routes) {
            if (route.method.equals(method)) {
                Map<String, String> variables = variables(route.segments, segments);
                if (variables != null) {
                    return Optional.of(new Match(route.handler, variables));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @return the methods that some route allows on {@code path}, with HEAD wherever GET is and OPTIONS on every
     *         known path (empty when the path is unknown)
     */
    public TreeSet<String> allowed(String path) {
        String[] segments = segments(path);
        TreeSet<String> methods = new TreeSet<>();
        routes.stream().filter(route -> variables(route.segments, segments) != null)
                .forEach(r -> methods.add(r.method));
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        if (!methods.isEmpty()) {
            methods.add("OPTIONS");
        }
        return methods;
    }

    private static Map<String, String> variables(String[] pattern, String[] segments) {
        if (pattern.length != segments.length) {
            return null;
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].startsWith("{") && pattern[i].endsWith("}")) {
                if (segments[i].isEmpty()) {
                    return null;
                }
                variables.put(pattern[i].substring(1, pattern[i].length() - 1), segments[i]);
            } else if (!pattern[i].equals(segments[i])) {
                return null;
            }
        }
        return variables;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
