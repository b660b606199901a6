package io.atrium.graphql.bff;

import io.atrium.graphql.http.HeaderLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The requests a BFF answers on its data path ({@link DataPathHandler}, on the server's Netty event loop, before any
 * framework routing): exact {@code METHOD /path} routes and {@code METHOD /prefix/} routes, each a function from the
 * request to a {@link BffResult}. Anything else goes to the app's framework. Immutable once built.
 *
 * @param maxBodyBytes the largest request body; beyond it 413 {@code PAYLOAD_TOO_LARGE} without calling a handler
 * @param answered     how many requests the data path has answered (the rest went to the framework)
 */
public record DataPath(Map<String, Handler> exact, List<Prefix> prefixes, int maxBodyBytes,
                       java.util.concurrent.atomic.LongAdder answered) {
    public DataPath {
        exact = Map.copyOf(exact);
        prefixes = List.copyOf(prefixes);
    }

    /** One request: method, path (raw, without the query), raw query string (null when none), headers, body. */
    public record Request(String method, String path, String rawQuery, HeaderLookup headers, byte[] body) {
    }

    /** Answers one request; must not fail (failures are answered). */
    @FunctionalInterface
    public interface Handler {
        CompletionStage<BffResult> handle(Request request);
    }

    /** A route for every path under {@code prefix} (which ends with a slash). */
    public record Prefix(String method, String prefix, Handler handler) {
    }

    /** The handler of {@code method path}, or null: the framework answers it. */
    Handler find(String method, String path) {
        Handler handler = exact.get(method + " " + path);
        if (handler != null) {
            return handler;
        }
        for (Prefix prefix : prefixes) {
            if (prefix.method().equals(method) && path.startsWith(prefix.prefix()) && path.length() > prefix.prefix().length()) {
                return prefix.handler();
            }
        }
        return null;
    }

    public static Builder builder(int maxBodyBytes) {
        return new Builder(maxBodyBytes);
    }

    public static final class Builder {
        private final int maxBodyBytes;
        private final Map<String, Handler> exact = new HashMap<>();
        private final List<Prefix> prefixes = new ArrayList<>();

        private Builder(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        public Builder route(String method, String path, Handler handler) {
            exact.put(method + " " + path, handler);
            return this;
        }

        public Builder prefix(String method, String prefix, Handler handler) {
            if (!prefix.endsWith("/")) {
                throw new IllegalArgumentException("a prefix route ends with '/': " + prefix);
            }
            prefixes.add(new Prefix(method, prefix, handler));
            return this;
        }

        public DataPath build() {
            return new DataPath(exact, prefixes, maxBodyBytes, new java.util.concurrent.atomic.LongAdder());
        }
    }
}
