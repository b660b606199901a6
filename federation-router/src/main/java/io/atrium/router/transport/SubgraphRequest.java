package io.atrium.router.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * @param variables the variables to send (JSON values); may contain {@code representations}
 * @param headers   extra request headers (client headers the config forwards)
 */
public record SubgraphRequest(String subgraphName, URI url, String query, String operationName,
                              Map<String, Object> variables, Duration timeout, Map<String, String> headers) {
}
