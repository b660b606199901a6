package io.atrium.policy;

import java.net.InetAddress;
import java.util.List;

/**
 * The read-only view of an HTTP request that policies see. Small on purpose: the edge implements it over its
 * Netty headers and the Micronaut apps over their {@code HttpRequest}, both without copying.
 *
 * <p>Header names are matched case-insensitively. Implementations must not allocate more than the returned values.
 */
public interface PolicyRequest {

    /** The request method in upper case, e.g. {@code GET}. */
    String method();

    /** The request path, without the query string. */
    String path();

    /** The raw (still percent-encoded) query string without the leading {@code ?}, or null when there is none. */
    String query();

    /** The first value of the header, or null when absent. */
    String header(String name);

    /** Every value of the header in arrival order; empty when absent. */
    default List<String> headerValues(String name) {
        String value = header(name);
        return value == null ? List.of() : List.of(value);
    }

    /** The address of the peer that opened the connection (not X-Forwarded-For), or null when unknown. */
    InetAddress clientAddress();

    /** The id of the matched route, as configured. */
    String routeId();

    /**
     * The first value of a query parameter, percent-decoded, or null when absent.
     * The default parses {@link #query()}; it only allocates for the parameter found.
     */
    default String queryParameter(String name) {
        return QueryStrings.parameter(query(), name);
    }
}
