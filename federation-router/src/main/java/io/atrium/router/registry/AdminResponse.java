package io.atrium.router.registry;

import io.atrium.router.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** One answer of the registry's admin API; {@code headers} are set on the response besides the content type. */
public record AdminResponse(int status, String contentType, String body, Map<String, String> headers) {
    static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";

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

    /** An RFC 9457 problem document with a stable {@code code}; {@code extra} members are added as they are. */
    static AdminResponse problem(int status, String code, String title, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://atrium.dev/problems/" + code.toLowerCase().replace('_', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        body.putAll(extra);
        return new AdminResponse(status, PROBLEM, Json.writeString(body), Map.of());
    }
}
