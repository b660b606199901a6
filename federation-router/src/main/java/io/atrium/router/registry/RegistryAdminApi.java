package io.atrium.router.registry;

import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The registry over HTTP, as the router's admin listener serves it (never the public port). Every request needs
 * {@code Authorization: Bearer <admin token>}. Routes (JSON in and out, errors as problem documents):
 * <pre>
 * GET    /registry/subgraphs                  list (name, routing_url, sdl_hash, published_at, published_by)
 * GET    /registry/subgraphs/{name}           one subgraph with its SDL
 * PUT    /registry/subgraphs/{name}           publish {routing_url, sdl}: 200 applied, 422 refused with the errors
 * POST   /registry/subgraphs/{name}/check     the same without saving: 200 with the report (passed or not);
 *                                             ?allow_breaking=true accepts breaking changes
 * DELETE /registry/subgraphs/{name}           remove: 200, 404, 422 when the rest does not compose
 * GET    /registry/supergraph                 the live supergraph SDL (404 while empty)
 * GET    /registry/history                    every change: version, action, subgraph, hashes, when, who
 * GET    /registry/operations                 every client's (and client version's) operations
 * GET    /registry/operations/{client}[/{version}]  a client's (version's) trusted operations
 * PUT    /registry/operations/{client}[/{version}]  replace them (Apollo's persisted query manifest or a Relay map)
 * DELETE /registry/operations/{client}[/{version}]  retire them (schema checks stop protecting them)
 * </pre>
 * {@code X-Atrium-Actor} names who made a change in the history (free text, default {@code admin}).
 */
public final class RegistryAdminApi {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    /** An app version: {@code 5.2.0}, {@code 2026.1-beta+7}. */
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,31}");
    private static final String PREFIX = "/registry/";

    private final SubgraphRegistry registry;
    private final byte[] expectedAuthorization;

    /** @param token the admin token; required (the registry is never open) */
    public RegistryAdminApi(SubgraphRegistry registry, String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the registry's admin API needs a token (ATRIUM_ROUTER_ADMIN_TOKEN)");
        }
        this.registry = registry;
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** One request: {@code path} without the query string, {@code query} raw (or null), {@code body} as sent. */
    public AdminResponse handle(String method, String path, String query, String authorization, String actor,
                                byte[] body) {
        if (authorization == null || !MessageDigest.isEqual(expectedAuthorization,
                authorization.getBytes(StandardCharsets.UTF_8))) {
            return AdminResponse.problem(RegistryProblems.UNAUTHORIZED,
                    "the registry needs Authorization: Bearer <admin token>", Map.of())
                    .withHeader("WWW-Authenticate", "Bearer realm=\"atrium-registry\"");
        }
        if (!path.startsWith(PREFIX)) {
            return notFound(path);
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        String who = actor == null || actor.isBlank() ? "admin" : actor.strip().replaceAll("[^\\x20-\\x7e]", "");
        try {
            return route(method, parts, query, who.length() > 64 ? who.substring(0, 64) : who, body);
        } catch (BadRequest e) {
            return AdminResponse.problem(RegistryProblems.INVALID_REQUEST, e.getMessage(), Map.of());
        } catch (RegistryUnavailableException e) {
            // an answer, not a dropped connection: the caller retries later; nothing was stored
            return AdminResponse.problem(RegistryProblems.REGISTRY_UNAVAILABLE, e.getMessage(), Map.of())
                    .withHeader("Retry-After", "1");
        }
    }

    private AdminResponse route(String method, String[] parts, String query, String actor, byte[] body) {
        String resource = parts[0];
        if (parts.length == 1 && resource.equals("subgraphs")) {
            return method.equals("GET") ? list() : notAllowed(method, "GET");
        }
        if (parts.length == 1 && resource.equals("supergraph")) {
            return method.equals("GET") ? supergraph() : notAllowed(method, "GET");
        }
        if (parts.length == 1 && resource.equals("history")) {
            return method.equals("GET") ? history() : notAllowed(method, "GET");
        }
        if (parts.length >= 2 && resource.equals("subgraphs") && NAME.matcher(parts[1]).matches()) {
            String name = parts[1];
            if (parts.length == 3 && parts[2].equals("check")) {
                return method.equals("POST") ? check(name, body, query) : notAllowed(method, "POST");
            }
            if (parts.length == 2) {
                return switch (method) {
                    case "GET" -> fetch(name);
                    case "PUT" -> publish(name, body, actor);
                    case "DELETE" -> result(registry.delete(name, actor));
                    default -> notAllowed(method, "GET, PUT, DELETE");
                };
            }
        }
        if (parts.length == 1 && resource.equals("operations")) {
            return method.equals("GET") ? allOperations() : notAllowed(method, "GET");
        }
        if ((parts.length == 2 || parts.length == 3) && resource.equals("operations") && NAME.matcher(parts[1]).matches()
                && (parts.length == 2 || VERSION.matcher(parts[2]).matches())) {
            String client = parts.length == 2 ? parts[1] : parts[1] + "/" + parts[2];
            return switch (method) {
                case "GET" -> AdminResponse.json(200, operationsJson(registry.state().operations()
                        .getOrDefault(client, List.of())));
                case "PUT" -> result(registry.publishOperations(client, manifest(body), actor));
                case "DELETE" -> result(registry.retireOperations(client, actor));
                default -> notAllowed(method, "GET, PUT, DELETE");
            };
        }
        return notFound("/registry/" + String.join("/", parts));
    }

    /** Every client (and client version) with operations: {@code {version, clients: {"ios/5.2.0": [...]}}}. */
    private AdminResponse allOperations() {
        RegistryState state = registry.state();
        Map<String, Object> clients = new LinkedHashMap<>();
        state.operations().forEach((client, operations) -> clients.put(client, operationsJson(operations)));
        return AdminResponse.json(200, Map.of("version", state.version(), "clients", clients));
    }

    private AdminResponse list() {
        List<Object> out = new ArrayList<>();
        for (SubgraphRecord record : registry.state().subgraphs().values()) {
            out.add(summary(record));
        }
        return AdminResponse.json(200, Map.of("version", registry.state().version(), "subgraphs", out));
    }

    private static Map<String, Object> summary(SubgraphRecord record) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", record.name());
        item.put("routing_url", record.routingUrl());
        item.put("sdl_hash", record.sdlHash());
        item.put("published_at", record.publishedAt());
        item.put("published_by", record.publishedBy());
        return item;
    }

    private AdminResponse fetch(String name) {
        SubgraphRecord record = registry.state().subgraphs().get(name);
        if (record == null) {
            return AdminResponse.problem(RegistryProblems.SUBGRAPH_NOT_FOUND, "no subgraph named '" + name
                    + "' is registered", Map.of());
        }
        Map<String, Object> item = summary(record);
        item.put("sdl", record.sdl());
        return AdminResponse.json(200, item);
    }

    private AdminResponse supergraph() {
        RegistryState state = registry.state();
        if (state.supergraphSdl() == null) {
            return AdminResponse.problem(RegistryProblems.SUPERGRAPH_NOT_FOUND, "no subgraph is registered yet",
                    Map.of());
        }
        return new AdminResponse(200, "text/plain; charset=utf-8", state.supergraphSdl(), Map.of());
    }

    private AdminResponse history() {
        List<Object> out = new ArrayList<>();
        for (HistoryEntry entry : registry.state().history()) {
            out.add(RegistryCodec.historyJson(entry));
        }
        return AdminResponse.json(200, Map.of("history", out));
    }

    private AdminResponse publish(String name, byte[] body, String actor) {
        return result(registry.publish(source(name, body), actor));
    }

    private AdminResponse check(String name, byte[] body, String query) {
        boolean allowBreaking = query != null && List.of(query.split("&")).contains("allow_breaking=true");
        CheckReport report = registry.check(source(name, body), allowBreaking);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("passed", report.passed());
        out.put("composition_errors", errorsJson(report.compositionErrors()));
        out.put("changes", changesJson(report.changes()));
        out.put("broken_operations", brokenJson(report.brokenOperations()));
        return AdminResponse.json(200, out);
    }

    private static AdminResponse result(RegistryResult result) {
        return switch (result) {
            case RegistryResult.Applied applied -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("status", "applied");
                out.put("version", applied.version());
                out.put("supergraph_hash", applied.supergraphHash());
                out.put("changes", changesJson(applied.changes()));
                yield AdminResponse.json(200, out);
            }
            case RegistryResult.Unchanged unchanged -> AdminResponse.json(200,
                    Map.of("status", "unchanged", "version", unchanged.version()));
            case RegistryResult.Refused refused -> {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("errors", errorsJson(refused.errors()));
                extra.put("broken_operations", brokenJson(refused.brokenOperations()));
                yield AdminResponse.problem(refused.errors().isEmpty()
                                ? RegistryProblems.OPERATIONS_INVALID : RegistryProblems.COMPOSITION_FAILED,
                        refused.errors().isEmpty() ? "registered operations would not validate (see broken_operations); "
                                + "nothing was changed"
                                : "the subgraphs would not compose; nothing was changed", extra);
            }
            case RegistryResult.NotFound notFound -> AdminResponse.problem(RegistryProblems.SUBGRAPH_NOT_FOUND,
                    notFound.name().contains("/") ? "no operations are registered for '" + notFound.name() + "'"
                            : "no subgraph named '" + notFound.name() + "' is registered", Map.of());
        };
    }

    @SuppressWarnings("unchecked")
    private static SubgraphSource source(String name, byte[] body) {
        Object parsed = parse(body);
        if (!(parsed instanceof Map<?, ?> map) || !(map.get("routing_url") instanceof String url)
                || !(map.get("sdl") instanceof String sdl)) {
            throw new BadRequest("the body must be a JSON object with string members routing_url and sdl");
        }
        for (Object key : ((Map<String, Object>) map).keySet()) {
            if (!key.equals("routing_url") && !key.equals("sdl")) {
                throw new BadRequest("unknown member '" + key + "' (expected routing_url, sdl)");
            }
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new BadRequest("routing_url must be an http:// or https:// URL");
        }
        return new SubgraphSource(name, url, sdl);
    }

    /**
     * Apollo's persisted query manifest ({@code {"format": "apollo-persisted-query-manifest", "operations": [...]}}) or
     * a Relay / GraphQL Code Generator map ({@code {"<id>": "<text>"}}).
     */
    @SuppressWarnings("unchecked")
    private static List<RegisteredOperation> manifest(byte[] body) {
        Object parsed = parse(body);
        if (parsed instanceof Map<?, ?> relay && !relay.containsKey("format") && !relay.isEmpty()
                && relay.values().stream().allMatch(v -> v instanceof String)) {
            List<RegisteredOperation> result = new ArrayList<>();
            ((Map<String, String>) relay).forEach((id, text) -> result.add(new RegisteredOperation(id,
                    operationName(text), null, text)));
            return result;
        }
        if (!(parsed instanceof Map<?, ?> map) || !"apollo-persisted-query-manifest".equals(map.get("format"))
                || !(map.get("operations") instanceof List<?> operations)) {
            throw new BadRequest("the body must be an Apollo persisted query manifest "
                    + "({\"format\": \"apollo-persisted-query-manifest\", \"version\": 1, \"operations\": [...]})");
        }
        List<RegisteredOperation> result = new ArrayList<>();
        for (Object item : operations) {
            if (!(item instanceof Map<?, ?> op) || !(op.get("id") instanceof String id)
                    || !(op.get("body") instanceof String text)) {
                throw new BadRequest("every operation needs string members id and body");
            }
            result.add(new RegisteredOperation(id, (String) op.get("name"), (String) op.get("type"), text));
        }
        return result;
    }

    /** The first operation's name in a Relay map entry (Relay maps carry no names), or null. */
    private static String operationName(String text) {
        java.util.regex.Matcher m = OPERATION_NAME.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static final Pattern OPERATION_NAME = Pattern.compile("\\b(?:query|mutation|subscription)\\s+([_A-Za-z][_0-9A-Za-z]*)");

    private static Object parse(byte[] body) {
        try {
            return Json.read(body);
        } catch (RuntimeException e) {
            throw new BadRequest("the body is not JSON");
        }
    }

    private static List<Object> errorsJson(List<CompositionError> errors) {
        List<Object> out = new ArrayList<>();
        for (CompositionError error : errors) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("code", error.code());
            item.put("message", error.message());
            item.put("location", error.location());
            out.add(item);
        }
        return out;
    }

    private static List<Object> changesJson(List<SchemaChange> changes) {
        List<Object> out = new ArrayList<>();
        for (SchemaChange change : changes) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("level", change.level().name());
            item.put("category", change.category());
            item.put("coordinate", change.coordinate());
            item.put("message", change.message());
            out.add(item);
        }
        return out;
    }

    private static List<Object> brokenJson(List<OperationFailure> failures) {
        List<Object> out = new ArrayList<>();
        for (OperationFailure failure : failures) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("client", failure.client());
            item.put("id", failure.id());
            item.put("name", failure.name());
            item.put("errors", failure.errors());
            out.add(item);
        }
        return out;
    }

    private static List<Object> operationsJson(List<RegisteredOperation> operations) {
        List<Object> out = new ArrayList<>();
        for (RegisteredOperation op : operations) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", op.id());
            item.put("name", op.name());
            item.put("type", op.type());
            item.put("body", op.body());
            out.add(item);
        }
        return out;
    }

    private static AdminResponse notFound(String path) {
        return AdminResponse.problem(RegistryProblems.NOT_FOUND, "no registry resource at " + path, Map.of());
    }

    private static AdminResponse notAllowed(String method, String allowed) {
        return AdminResponse.problem(RegistryProblems.METHOD_NOT_ALLOWED,
                method + " is not allowed here; allowed: " + allowed, Map.of()).withHeader("Allow", allowed);
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
