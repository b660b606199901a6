package io.atrium.policy.cache;

import io.atrium.policy.HttpHeader;
import java.util.List;

/**
 * The head of an upstream response, as the edge offers it to the cache.
 *
 * @param status the status code
 * @param headers the response headers in arrival order
 * @param contentLength the body length from {@code Content-Length}, or -1 when unknown (chunked)
 * @param requestTimeMillis wall-clock time the request was sent upstream (for the age correction of RFC 9111 §4.2.3)
 */
public record UpstreamResponse(int status, List<HttpHeader> headers, long contentLength, long requestTimeMillis) {

    public UpstreamResponse {
        headers = List.copyOf(headers);
    }

    /** The first value of {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (HttpHeader header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    /** Every value of {@code name} (case-insensitive), in order. */
    public List<String> headerValues(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value).toList();
    }

    boolean has(String name) {
        return header(name) != null;
    }
}
