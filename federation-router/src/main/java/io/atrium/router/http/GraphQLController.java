package io.atrium.router.http;

import io.atrium.router.execute.ErrorCodes;
import io.atrium.router.json.Json;
import io.atrium.router.json.JsonException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GraphQL over HTTP at {@code /graphql}: POST (JSON body) and GET (queries only), content negotiation between
 * {@code application/graphql-response+json} (4xx for request errors) and {@code application/json} (200), and
 * CSRF prevention for browser "simple requests".
 */
@Controller("/graphql")
public final class GraphQLController {
    static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    private static final Set<String> SIMPLE_CONTENT_TYPES =
            Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");
    private static final List<String> PREFLIGHT_HEADERS = List.of("apollo-require-preflight", "x-apollo-operation-name");

    private final SupergraphManager manager;

    public GraphQLController(SupergraphManager manager) {
        this.manager = manager;
    }

    @Post(consumes = MediaType.ALL, produces = {GRAPHQL_RESPONSE_JSON, MediaType.APPLICATION_JSON})
    public CompletionStage<HttpResponse<byte[]>> post(HttpRequest<?> request, @Nullable @Body byte[] body) {
        boolean graphqlResponse = wantsGraphQLResponse(request);
        if (isSimpleRequest(request)) {
            return reply(HttpStatus.BAD_REQUEST, graphqlResponse, csrfError());
        }
        Map<String, Object> json;
        try {
            Object parsed = body == null || body.length == 0 ? null : Json.read(body);
            if (!(parsed instanceof Map<?, ?> map)) {
                return reply(HttpStatus.BAD_REQUEST, graphqlResponse,
                        errors("the body must be a JSON object with 'query'", ErrorCodes.BAD_REQUEST));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cast = (Map<String, Object>) map;
            json = cast;
        } catch (JsonException e) {
            return reply(HttpStatus.BAD_REQUEST, graphqlResponse, errors(e.getMessage(), ErrorCodes.BAD_REQUEST));
        }
        return execute(request, json.get("query"), json.get("operationName"), json.get("variables"), false, graphqlResponse);
    }

    @Get(produces = {GRAPHQL_RESPONSE_JSON, MediaType.APPLICATION_JSON})
    public CompletionStage<HttpResponse<byte[]>> get(HttpRequest<?> request) {
        boolean graphqlResponse = wantsGraphQLResponse(request);
        if (isSimpleRequest(request)) {
            return reply(HttpStatus.BAD_REQUEST, graphqlResponse, csrfError());
        }
        var params = request.getParameters();
        Object variables = null;
        String rawVariables = params.get("variables");
        if (rawVariables != null && !rawVariables.isBlank()) {
            try {
                variables = Json.read(rawVariables);
            } catch (JsonException e) {
                return reply(HttpStatus.BAD_REQUEST, graphqlResponse,
                        errors("'variables' is not valid JSON: " + e.getMessage(), ErrorCodes.BAD_REQUEST));
            }
        }
        return execute(request, params.get("query"), params.get("operationName"), variables, true, graphqlResponse);
    }

    @SuppressWarnings("unchecked")
    private CompletionStage<HttpResponse<byte[]>> execute(HttpRequest<?> request, Object query, Object operationName,
                                                         Object variables, boolean get, boolean graphqlResponse) {
        LiveSupergraph live = manager.current();
        if (live == null) {
            return reply(HttpStatus.SERVICE_UNAVAILABLE, graphqlResponse,
                    errors("no supergraph is loaded yet", ErrorCodes.SUPERGRAPH_NOT_LOADED));
        }
        if (!(query instanceof String) || (operationName != null && !(operationName instanceof String))
                || (variables != null && !(variables instanceof Map<?, ?>))) {
            return reply(HttpStatus.BAD_REQUEST, graphqlResponse, errors(
                    "'query' must be a string, 'operationName' a string and 'variables' an object", ErrorCodes.BAD_REQUEST));
        }
        String planHeader = manager.config().planHeader();
        boolean wantsPlan = planHeader != null && request.getHeaders().contains(planHeader);
        String labelHeader = manager.config().overrideLabelHeader();
        Map<String, String> forwarded = new java.util.LinkedHashMap<>();
        for (String name : manager.config().propagatedHeaders()) {
            String value = request.getHeaders().get(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        GraphQLRequest graphQLRequest = new GraphQLRequest((String) query, (String) operationName,
                (Map<String, Object>) variables, get, wantsPlan, live.overrideLabels(labelHeader == null ? null : request.getHeaders().get(labelHeader)), forwarded);
        return manager.handler().handle(live, graphQLRequest).thenApply(outcome -> {
            HttpStatus status = switch (outcome.kind()) {
                case EXECUTED -> HttpStatus.OK;
                case REQUEST_ERROR -> graphqlResponse ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
                case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            };
            HttpResponse<byte[]> response = response(status, graphqlResponse, outcome.body());
            if (outcome.kind() == GraphQLOutcome.Kind.METHOD_NOT_ALLOWED) {
                return ((io.micronaut.http.MutableHttpResponse<byte[]>) response).header(HttpHeaders.ALLOW, "POST");
            }
            return response;
        });
    }

    /** A request a browser may send cross-origin without a preflight: refuse it (CSRF). */
    private static boolean isSimpleRequest(HttpRequest<?> request) {
        for (String header : PREFLIGHT_HEADERS) {
            if (request.getHeaders().contains(header)) {
                return false;
            }
        }
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) {
            return true;
        }
        String essence = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return SIMPLE_CONTENT_TYPES.contains(essence);
    }

    private static boolean wantsGraphQLResponse(HttpRequest<?> request) {
        String accept = request.getHeaders().get(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(GRAPHQL_RESPONSE_JSON);
    }

    private static Map<String, Object> csrfError() {
        return errors("This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). "
                + "Send a 'Content-Type' other than text/plain, application/x-www-form-urlencoded or multipart/form-data, "
                + "or a non-empty 'apollo-require-preflight' or 'x-apollo-operation-name' header.", ErrorCodes.CSRF_PREVENTED);
    }

    private static Map<String, Object> errors(String message, String code) {
        return Map.of("errors", List.of(GraphQLHandler.error(message, code, null)));
    }

    private static CompletionStage<HttpResponse<byte[]>> reply(HttpStatus status, boolean graphqlResponse,
                                                               Map<String, Object> body) {
        return CompletableFuture.completedFuture(response(status, graphqlResponse, body));
    }

    private static HttpResponse<byte[]> response(HttpStatus status, boolean graphqlResponse, Map<String, Object> body) {
        return HttpResponse.<byte[]>status(status)
                .contentType(graphqlResponse ? GRAPHQL_RESPONSE_JSON : MediaType.APPLICATION_JSON)
                .body(Json.write(body));
    }
}
