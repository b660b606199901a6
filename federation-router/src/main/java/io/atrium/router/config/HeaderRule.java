package io.atrium.router.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One rule for the headers of subgraph requests. Rules for all subgraphs run first, then a subgraph's own, in
 * order; the result is the extra headers of each subgraph request. Nothing of the client's request is forwarded
 * unless a {@link Propagate} rule names it (an allow-list). Names are lower-case.
 */
public sealed interface HeaderRule {

    /** Headers the router sets itself or that belong to the connection: no rule may name them. */
    Set<String> RESERVED = Set.of("connection", "content-length", "content-type", "accept", "expect", "host",
            "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

    /** Copies client header {@code name} (when the request has it) as {@code as} (same name unless renamed). */
    record Propagate(String name, String as) implements HeaderRule {
    }

    /** Sets {@code name} to a fixed value (replacing a propagated one). */
    record Insert(String name, String value) implements HeaderRule {
    }

    /** Drops {@code name} (e.g. one the rules for all subgraphs propagate, for one subgraph). */
    record Remove(String name) implements HeaderRule {
    }

    /** The subgraph request headers {@code rules} give for a request's (lower-case) client headers. */
    static Map<String, String> apply(List<HeaderRule> rules, Map<String, String> clientHeaders) {
        if (rules.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (HeaderRule rule : rules) {
            switch (rule) {
                case Propagate p -> {
                    String value = clientHeaders.get(p.name());
                    if (value != null) {
                        out.put(p.as(), value);
                    }
                }
                case Insert i -> out.put(i.name(), i.value());
                case Remove r -> out.remove(r.name());
            }
        }
        return out;
    }

    /** Validates and lower-cases a header name from the config; {@code path} names it in errors. */
    static String headerName(Object value, String path) {
        if (!(value instanceof String name) || name.isBlank() || !name.chars().allMatch(HeaderRule::tokenChar)) {
            throw new ConfigException(path + ": expected a header name, got " + value);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower)) {
            throw new ConfigException(path + ": '" + lower + "' is set by the router itself and cannot be configured");
        }
        return lower;
    }

    private static boolean tokenChar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
