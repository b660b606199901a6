package io.atrium.router.connector.rest.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.links.Link;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity keys from OpenAPI {@code links} (OpenAPI 3.x "Link Object"): a response whose body is a component schema
 * {@code S} links to a GET operation that answers {@code S}, passing properties of the body as that operation's
 * parameters ({@code parameters: {orderId: "$response.body#/id"}}). The linked operation is then {@code S}'s lookup by
 * key and the properties are {@code S}'s key ({@code @key(fields: "id")}): the document itself says "this object is
 * fetched again by these fields". Links whose parameters are not all body properties of the linking response
 * (headers, query values, constants, nested pointers) say nothing about keys and are ignored, as are links to
 * operations that answer another schema or are not GETs.
 */
final class OpenApiLinks {
    /** {@code $response.body#/name}: one top-level property of the response body. */
    private static final Pattern BODY_PROPERTY = Pattern.compile("\\$response\\.body#/([^/]+)");

    /** Component schema name → key fields (space-separated, the link's parameter order). */
    final Map<String, String> keys = new LinkedHashMap<>();
    /** Lookup operation → its parameter name → the key field it takes. */
    final Map<Operation, Map<String, String>> lookups = new IdentityHashMap<>();

    private final OpenAPI api;

    private OpenApiLinks(OpenAPI api) {
        this.api = api;
    }

    static OpenApiLinks read(OpenAPI api) {
        OpenApiLinks links = new OpenApiLinks(api);
        if (api.getPaths() != null) {
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> links.from(op)));
        }
        return links;
    }

    private void from(Operation op) {
        if (op.getResponses() == null) {
            return;
        }
        for (var entry : op.getResponses().entrySet()) {
            ApiResponse response = entry.getValue();
            String schema = schemaName(response);
            if (!entry.getKey().startsWith("2") || schema == null || response.getLinks() == null) {
                continue;
            }
            for (Link link : response.getLinks().values()) {
                link(schema, resolve(link));
            }
        }
    }

    private void link(String schema, Link link) {
        if (link == null || link.getParameters() == null || link.getParameters().isEmpty()) {
            return;
        }
        Operation target = target(link);
        if (target == null || !schema.equals(successSchemaName(target))) {
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (var parameter : link.getParameters().entrySet()) {
            Matcher matcher = parameter.getValue() instanceof String expression
                    ? BODY_PROPERTY.matcher(expression.strip()) : null;
            if (matcher == null || !matcher.matches()) {
                return;
            }
            // a parameter named "path.orderId" says where it goes; the name is what follows
            String name = parameter.getKey().contains(".") ? parameter.getKey().substring(parameter.getKey().indexOf('.') + 1)
                    : parameter.getKey();
            parameters.put(name, matcher.group(1).replace("~1", "/").replace("~0", "~"));
        }
        keys.putIfAbsent(schema, String.join(" ", parameters.values()));
        if (keys.get(schema).equals(String.join(" ", parameters.values()))) {
            lookups.putIfAbsent(target, parameters);
        }
    }

    private Link resolve(Link link) {
        if (link.get$ref() == null) {
            return link;
        }
        var components = api.getComponents();
        return components == null || components.getLinks() == null ? null
                : components.getLinks().get(OpenApiGenerator.refName(link.get$ref()));
    }

    /** The GET operation named by {@code operationId} or by an {@code operationRef} into this document. */
    private Operation target(Link link) {
        if (api.getPaths() == null) {
            return null;
        }
        if (link.getOperationId() != null) {
            for (PathItem item : api.getPaths().values()) {
                if (item.getGet() != null && link.getOperationId().equals(item.getGet().getOperationId())) {
                    return item.getGet();
                }
            }
            return null;
        }
        String ref = link.getOperationRef();
        if (ref == null || !ref.startsWith("#/paths/") || !ref.endsWith("/get")) {
            return null;
        }
        String path = ref.substring("#/paths/".length(), ref.length() - "/get".length())
                .replace("~1", "/").replace("~0", "~");
        PathItem item = api.getPaths().get(path);
        return item == null ? null : item.getGet();
    }

    private static String successSchemaName(Operation op) {
        return refName(OpenApiGenerator.successSchema(op));
    }

    private static String schemaName(ApiResponse response) {
        return refName(OpenApiGenerator.jsonSchema(response.getContent()));
    }

    private static String refName(Schema<?> schema) {
        return schema == null || schema.get$ref() == null ? null : OpenApiGenerator.refName(schema.get$ref());
    }
}
