package io.atrium.router.registry;

import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemType;
import io.atrium.router.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** One answer of the registry's admin API; {@code headers} are set on the response besides the content type. */
public record AdminResponse(int status, String contentType, String body, Map<String, String> headers) {
    static final String JSON = "application/json";

    public AdminResponse {
        headers = Map.copyOf(headers);
    }

    static AdminResponse json(int status, Object value) {
        return new AdminResponse(status, JSON, Json.writeString(value), Map.of());
    }

    AdminResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new AdminResponse(status, contentType, body, all);
    }

    /** An RFC 9457 problem document of {@code type}; {@code extra} members (e.g. the errors) are added as they are. */
    static AdminResponse problem(ProblemType type, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.type());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        body.put("code", type.code());
        body.putAll(extra);
        return new AdminResponse(type.status(), Problem.MEDIA_TYPE, Json.writeString(body), Map.of());
    }
}
