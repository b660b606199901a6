package io.atrium.router.registry;

import io.atrium.policy.error.ProblemType;

/** The registry admin API's problem types (RFC 9457, the shape every Atrium deployable answers with). */
final class RegistryProblems {
    static final ProblemType UNAUTHORIZED = ProblemType.of("ADMIN_UNAUTHORIZED", 401, "Unauthorized");
    static final ProblemType INVALID_REQUEST = ProblemType.of("INVALID_REQUEST", 400, "Bad request");
    static final ProblemType SUBGRAPH_NOT_FOUND = ProblemType.of("SUBGRAPH_NOT_FOUND", 404, "Not found");
    static final ProblemType SUPERGRAPH_NOT_FOUND = ProblemType.of("SUPERGRAPH_NOT_FOUND", 404, "Not found");
    static final ProblemType COMPOSITION_FAILED = ProblemType.of("COMPOSITION_FAILED", 422, "Refused");
    static final ProblemType OPERATIONS_INVALID = ProblemType.of("OPERATIONS_INVALID", 422, "Refused");
    static final ProblemType NOT_FOUND = ProblemType.of("NOT_FOUND", 404, "Not found");
    static final ProblemType METHOD_NOT_ALLOWED = ProblemType.of("METHOD_NOT_ALLOWED", 405, "Method not allowed");
    static final ProblemType REGISTRY_UNAVAILABLE = ProblemType.of("REGISTRY_UNAVAILABLE", 503, "Service unavailable");
    static final ProblemType BODY_TOO_LARGE = ProblemType.of("BODY_TOO_LARGE", 413, "Payload too large");

    private RegistryProblems() {
    }
}
