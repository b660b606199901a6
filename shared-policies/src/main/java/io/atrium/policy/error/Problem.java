package io.atrium.policy.error;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An RFC 9457 problem document as every Atrium deployable renders it:
 * {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance} (the request path),
 * plus the extension members {@code code} (stable, see {@link ProblemTypes}) and {@code request_id}.
 *
 * <p>{@link #toJson()} renders it without a JSON library so that it can be used on an event loop
 * and in any module regardless of its serialization stack.
 */
public record Problem(String type, String title, int status, String detail, String instance, String code, String requestId) {

    /** The media type of a problem document. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(code, "code");
    }

    /**
     * A problem of the given type.
     *
     * @param instance the request path (without query string); may be null when unknown
     * @param requestId the request id echoed to the client; may be null when none was assigned
     */
    public static Problem of(ProblemType type, String detail, String instance, String requestId) {
        return new Problem(type.type(), type.title(), type.status(), detail, instance, type.code(), requestId);
    }

    /** The document as compact JSON; members with a null value are left out. */
    public String toJson() {
        StringBuilder out = new StringBuilder(160 + detail.length());
        out.append("{\"type\":");
        appendString(out, type);
        out.append(",\"title\":");
        appendString(out, title);
        out.append(",\"status\":").append(status);
        out.append(",\"detail\":");
        appendString(out, detail);
        if (instance != null) {
            out.append(",\"instance\":");
            appendString(out, instance);
        }
        out.append(",\"code\":");
        appendString(out, code);
        if (requestId != null) {
            out.append(",\"request_id\":");
            appendString(out, requestId);
        }
        return out.append('}').toString();
    }

    /** {@link #toJson()} encoded as UTF-8. */
    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
