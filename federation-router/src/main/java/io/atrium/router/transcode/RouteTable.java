package io.atrium.router.transcode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every route of every backend, by HTTP method, most specific first (per segment: literal, then {@code *}, then
 * {@code **}). Built once per (re)load; two bindings that match exactly the same requests are refused (the whole
 * table is, naming both), never resolved silently by order.
 */
public final class RouteTable {
    private final Map<String, List<Route>> byMethod;
    private final List<Route> all;

    private RouteTable(Map<String, List<Route>> byMethod, List<Route> all) {
        this.byMethod = byMethod;
        this.all = all;
    }

    /** @throws IllegalArgumentException naming both bindings when two are ambiguous */
    public static RouteTable of(List<Route> routes) {
        Map<String, Route> byShape = new LinkedHashMap<>();
        Map<String, List<Route>> byMethod = new LinkedHashMap<>();
        for (Route route : routes) {
            String key = route.httpMethod() + " " + route.template().shape();
            Route previous = byShape.putIfAbsent(key, route);
            if (previous != null) {
                throw new IllegalArgumentException("ambiguous HTTP bindings: '" + previous.describe() + "' and '"
                        + route.describe() + "' match the same requests");
            }
            byMethod.computeIfAbsent(route.httpMethod(), m -> new ArrayList<>()).add(route);
        }
        Map<String, List<Route>> sorted = new LinkedHashMap<>();
        byMethod.forEach((method, list) -> {
            List<Route> copy = new ArrayList<>(list);
            copy.sort(Comparator.comparing(Route::template, PathTemplate::compareSpecificity));
            sorted.put(method, List.copyOf(copy));
        });
        return new RouteTable(Map.copyOf(sorted), List.copyOf(routes));
    }

    public List<Route> routes() {
        return all;
    }

    /** The outcome of matching a request path. */
    public sealed interface Match {
    }

    /** @param variables field path → decoded value */
    public record Found(Route route, Map<String, String> variables) implements Match {
    }

    /** The path exists for other methods only. */
    public record WrongMethod(List<String> allowed) implements Match {
    }

    public record NotFound() implements Match {
    }

    /**
     * @param path the request path without query and prefix, starting with '/'
     * @throws IllegalArgumentException on a malformed percent-escape
     */
    public Match match(String method, String path) {
        Found found = find(byMethod.getOrDefault(method, List.of()), path);
        if (found != null) {
            return found;
        }
        TreeSet<String> allowed = new TreeSet<>();
        for (Map.Entry<String, List<Route>> entry : byMethod.entrySet()) {
            if (!entry.getKey().equals(method) && find(entry.getValue(), path) != null) {
                allowed.add(entry.getKey());
            }
        }
        return allowed.isEmpty() ? new NotFound() : new WrongMethod(List.copyOf(allowed));
    }

    private static Found find(List<Route> candidates, String path) {
        if (candidates.isEmpty() || !path.startsWith("/")) {
            return null;
        }
        List<String> segments = split(path.substring(1));
        String last = segments.getLast();
        int colon = last.lastIndexOf(':');
        // custom verbs first: a route with verb V only sees paths ending in ':V', without it
        if (colon >= 0) {
            String verb = last.substring(colon + 1);
            List<String> stripped = new ArrayList<>(segments);
            stripped.set(stripped.size() - 1, last.substring(0, colon));
            for (Route route : candidates) {
                if (verb.equals(route.template().verb())) {
                    Map<String, String> bound = route.template().match(stripped);
                    if (bound != null) {
                        return new Found(route, bound);
                    }
                }
            }
        }
        for (Route route : candidates) {
            if (route.template().verb() == null) {
                Map<String, String> bound = route.template().match(segments);
                if (bound != null) {
                    return new Found(route, bound);
                }
            }
        }
        return null;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(path.substring(start));
        return parts;
    }
}
