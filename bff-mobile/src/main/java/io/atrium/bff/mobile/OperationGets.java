package io.atrium.bff.mobile;

import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.VariableDefinition;
import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.bff.AppOperations;
import io.atrium.graphql.bff.BffEndpoint;
import io.atrium.graphql.bff.BffResult;
import io.atrium.graphql.bff.ConditionalGet;
import io.atrium.graphql.bff.LiveView;
import io.atrium.graphql.document.OperationSelector;
import io.atrium.graphql.document.ParsedDocument;
import io.atrium.graphql.http.ClientInfo;
import io.atrium.graphql.http.GraphQLHttpRequest;
import io.atrium.graphql.http.HeaderLookup;
import io.atrium.graphql.http.ResponseFormat;
import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonSyntaxException;
import io.atrium.policy.error.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/ops/{operationName}?var=value}, independent of the HTTP server (the data path and
 * {@link OperationsController} both run it): a registered query of the app version (headers
 * {@code apollographql-client-name}/{@code -version}) by name, with its variables as query parameters (text for
 * {@code String}/{@code ID} variables, JSON otherwise). Answers carry a strong {@code ETag} (SHA-256 of the body);
 * {@code If-None-Match} with it gets 304 without a body. {@code Cache-Control}: the router's when the answer is
 * cacheable, made {@code private} when the caller was identified (a CDN never shares a user's answer), else
 * {@code private, no-cache} (the app may keep it and revalidate); errors {@code no-store}. {@code Vary} names the
 * headers the answer depends on.
 */
final class OperationGets {
    /** The answer is always JSON, so not {@code accept}: the caller's credentials and the app's name and version. */
    private static final String VARY = String.join(", ", BffEndpoint.ANSWER_HEADERS);
    private static final Set<String> TEXT_TYPES = Set.of("String", "ID");
    private static final Map<String, String> NO_STORE = Map.of("cache-control", "no-store");

    private final BffEndpoint endpoint;

    OperationGets(BffEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * {@code GET /v1/ops/{operationName}} with its query parameters (decoded).
     *
     * @param path the request's path (a problem document's {@code instance})
     */
    CompletionStage<BffResult> get(HeaderLookup headers, String operationName, Map<String, List<String>> parameters,
                                   String path) {
        ClientInfo client = ClientInfo.from(headers);
        LiveView live = endpoint.view();
        if (live == null) {
            return done(BffResult.errors(503, NO_STORE, GraphQLErrorCodes.SCHEMA_NOT_READY,
                    "the schema is not loaded yet; try again shortly"));
        }
        AppOperations.Lookup lookup = live.operations().byName(client.name(), client.version(), operationName);
        if (lookup instanceof AppOperations.Lookup.UpdateRequired update) {
            return done(BffResult.errors(400, NO_STORE, GraphQLErrorCodes.APP_UPDATE_REQUIRED, update.message()));
        }
        if (!(lookup instanceof AppOperations.Lookup.Found found)) {
            Problem problem = Problem.of(Problems.OPERATION_NOT_FOUND, "no operation named '" + operationName
                    + "' is registered for " + client.name() + " " + client.version(), path, headers.get("x-request-id"));
            return done(new BffResult(404, Map.of("content-type", Problem.MEDIA_TYPE, "cache-control", "no-store"),
                    problem.toJsonBytes()));
        }
        Map<String, Object> variables;
        try {
            variables = variables(live, found.operation(), parameters);
        } catch (IllegalArgumentException e) {
            return done(BffResult.errors(400, NO_STORE, GraphQLErrorCodes.BAD_REQUEST, e.getMessage()));
        }
        GraphQLHttpRequest graphql = new GraphQLHttpRequest(null, found.operation().name(), variables, Map.of(),
                found.operation().id(), true, ResponseFormat.JSON, client);
        boolean identified = headers.contains("x-atrium-assertion");
        return endpoint.execute(graphql, headers).thenApply(result -> conditional(headers, result, identified));
    }

    private BffResult conditional(HeaderLookup headers, BffResult result, boolean identified) {
        if (result.status() == 304) { // revalidated at the router (BffEndpoint): its tag and policy, made the app's
            Map<String, String> notModified = new LinkedHashMap<>(result.headers());
            notModified.remove("content-type");
            notModified.put("cache-control", cacheControl(result.headers().get("cache-control"), identified));
            notModified.put("vary", VARY);
            return new BffResult(304, notModified, new byte[0], result.operation());
        }
        String etag = result.status() == 200 ? endpoint.conditionalGets().etag(result.body()) : null;
        if (etag == null) {
            return result.withHeader("cache-control", "no-store");
        }
        return ConditionalGet.answer(headers.get("if-none-match"), result
                .withHeader("cache-control", cacheControl(result.headers().get("cache-control"), identified))
                .withHeader("vary", VARY), etag);
    }

    /** The router's policy when it gave one (private for identified callers), else revalidate on every use. */
    static String cacheControl(String routerPolicy, boolean identified) {
        if (routerPolicy == null || routerPolicy.contains("no-store") || !routerPolicy.contains("max-age")) {
            return "private, no-cache";
        }
        if (identified) {
            // one caller's answer: private, and no s-maxage (the kit's merge of this one part, made personal)
            io.atrium.graphql.cache.CacheControlMerge.Accumulator policy = new io.atrium.graphql.cache.CacheControlMerge.Accumulator();
            policy.add(routerPolicy);
            return policy.header(true);
        }
        return routerPolicy;
    }

    private static Map<String, Object> variables(LiveView live, AppOperations.Operation operation,
                                                 Map<String, List<String>> parameters) {
        ParsedDocument parsed = live.documents().get(operation.body());
        OperationSelector.Selection selection = parsed.parsed()
                ? OperationSelector.select(parsed.document(), operation.name()) : null;
        if (selection == null || !selection.ok()) {
            throw new IllegalArgumentException("the registered operation '" + operation.name() + "' cannot run");
        }
        OperationDefinition definition = selection.operation();
        if (definition.getOperation() != OperationDefinition.Operation.QUERY) {
            throw new IllegalArgumentException("only queries are served over GET; POST '" + operation.name()
                    + "' to /graphql");
        }
        Map<String, Type<?>> declared = new LinkedHashMap<>();
        for (VariableDefinition v : definition.getVariableDefinitions()) {
            declared.put(v.getName(), v.getType());
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            Type<?> type = declared.get(parameter.getKey());
            if (type == null) {
                throw new IllegalArgumentException("'" + parameter.getKey() + "' is not a variable of " + operation.name()
                        + "; its variables: " + declared.keySet());
            }
            String raw = parameter.getValue().getFirst();
            if (type instanceof TypeName || type instanceof NonNullType n && n.getType() instanceof TypeName) {
                String name = type instanceof TypeName t ? t.getName() : ((TypeName) ((NonNullType) type).getType()).getName();
                if (TEXT_TYPES.contains(name)) {
                    variables.put(parameter.getKey(), raw);
                    continue;
                }
            }
            try {
                variables.put(parameter.getKey(), JsonReader.read(raw));
            } catch (JsonSyntaxException e) {
                if (type instanceof ListType) {
                    throw new IllegalArgumentException("'" + parameter.getKey() + "' must be a JSON list");
                }
                variables.put(parameter.getKey(), raw); // enum values are sent bare: ?size=SMALL
            }
        }
        return variables;
    }

    private static CompletionStage<BffResult> done(BffResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
