package io.atrium.edge.config;

import io.atrium.policy.PolicySettings;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A route's transformations ({@code transform}, global block as defaults, the route's keys over it key by key), with every
 * template compiled and every header name checked at load.
 *
 * @param settings {@code enabled} (default true) and {@code enforce} (default true; false counts what would change and
 *     changes nothing)
 * @param request what changes on the way upstream
 * @param response what changes on the way back
 */
public record TransformConfig(PolicySettings settings, Request request, Response response) {

    public static final TransformConfig NONE = new TransformConfig(PolicySettings.DISABLED, Request.NONE, Response.NONE);

    public TransformConfig {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
    }

    /** Whether anything is to be done for the route's requests or responses. */
    public boolean active() {
        return settings.enabled() && (!request.equals(Request.NONE) || !response.equals(Response.NONE));
    }

    /** A name with a value template ({@code add}, {@code append}, {@code replace}). */
    public record Entry(String name, Template value) {
    }

    /** A header or query parameter renamed. */
    public record Rename(String from, String to) {
    }

    /**
     * Edits of headers or query parameters, applied in this order: {@code remove}, {@code rename}, {@code replace} (only
     * when present), {@code add} (only when absent), {@code append} (always, as a further value).
     */
    public record FieldEdits(List<String> remove, List<Rename> rename, List<Entry> replace, List<Entry> add, List<Entry> append) {

        public static final FieldEdits NONE = new FieldEdits(List.of(), List.of(), List.of(), List.of(), List.of());

        public FieldEdits {
            remove = List.copyOf(remove);
            rename = List.copyOf(rename);
            replace = List.copyOf(replace);
            add = List.copyOf(add);
            append = List.copyOf(append);
        }

        public boolean isEmpty() {
            return equals(NONE);
        }
    }

    /**
     * A path rewrite.
     *
     * @param pattern {@code pattern}: segments matched against the request path, {@code {name}} capturing one segment
     *     and a last {@code {name*}} the rest; absent = every path of the route matches, without captures
     * @param captures the pattern's capture names in order
     * @param template {@code template}: the upstream path (the query string follows it)
     */
    public record PathRewrite(Optional<String> pattern, List<String> captures, Template template) {

        public PathRewrite {
            captures = List.copyOf(captures);
        }
    }

    /** Request side: headers, query parameters, path, upstream {@code Host}. */
    public record Request(FieldEdits headers, FieldEdits query, Optional<PathRewrite> path, Optional<Template> host) {

        public static final Request NONE = new Request(FieldEdits.NONE, FieldEdits.NONE, Optional.empty(), Optional.empty());
    }

    /** What happens to a JSON body larger than {@code max_body}. */
    public enum TooLarge {
        /** It is forwarded unchanged (and counted). */
        PASS,
        /** The client gets 502 {@code UPSTREAM_RESPONSE_TOO_LARGE}. */
        REJECT,
        /** It is transformed while it streams (sent chunked, without a length; malformed JSON then cuts the connection). */
        STREAM
    }

    /**
     * JSON body edits by path ({@code $.a.b}, {@code $.items[*].id}).
     *
     * @param remove fields dropped
     * @param allow when not empty, only these fields (with everything under them) are kept
     * @param rename fields renamed in place ({@code from} is a path, {@code to} a field name)
     * @param maxBody {@code max_body}, default 1 MiB: the most the edge buffers to transform a body
     * @param onTooLarge {@code on_too_large}, default {@code pass} (also {@code reject}, {@code stream})
     */
    public record Json(List<String> remove, List<String> allow, List<Rename> rename, long maxBody, TooLarge onTooLarge) {

        public static final long DEFAULT_MAX_BODY = 1024 * 1024;

        public Json {
            remove = List.copyOf(remove);
            allow = List.copyOf(allow);
            rename = List.copyOf(rename);
            Objects.requireNonNull(onTooLarge, "onTooLarge");
        }
    }

    /** Response side: headers (remove, replace, add) and the JSON body. */
    public record Response(FieldEdits headers, Optional<Json> json) {

        public static final Response NONE = new Response(FieldEdits.NONE, Optional.empty());
    }
}
