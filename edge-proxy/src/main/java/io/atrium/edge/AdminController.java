package io.atrium.edge;

import io.atrium.policy.error.ProblemTypes;

import io.atrium.edge.config.ClusterConfig;
import io.atrium.edge.proxy.Cluster;
import io.atrium.policy.resilience.ClusterEndpoint;
import io.atrium.edge.config.EdgeConfig;
import io.atrium.edge.config.Protection;
import io.atrium.edge.config.RouteConfig;
import io.atrium.edge.config.RoutePolicies;
import io.atrium.edge.config.TransformConfig;
import io.atrium.policy.auth.RouteAccess;
import io.atrium.policy.error.Problem;
import io.atrium.policy.ratelimit.Limit;
import io.atrium.policy.ratelimit.RateLimitKey;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Admin API (token-protected by {@link AdminTokenFilter}): the config serving now, and reload. */
@Controller("/config")
final class AdminController {


    private final EdgeDataPlane dataPlane;

    AdminController(EdgeDataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Get(uri = "/routes", produces = MediaType.APPLICATION_JSON)
    Map<String, Object> routes() {
        EdgeConfig config = dataPlane.config();
        List<Object> routes = new ArrayList<>();
        for (RouteConfig route : config.routes()) {
            routes.add(route(route));
        }
        return Map.of("source", dataPlane.configSource(), "routes", routes);
    }

    /** Each cluster's settings and live resilience state: endpoint health, ejection, requests in flight, circuit state. */
    @Get(uri = "/clusters", produces = MediaType.APPLICATION_JSON)
    Map<String, Object> clusters() {
        List<Object> clusters = new ArrayList<>();
        for (Cluster live : dataPlane.routes().clusters()) {
            ClusterConfig cluster = dataPlane.config().clusters().get(live.name());
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", live.name());
            view.put("endpoints", live.endpoints().stream().map(Object::toString).toList());
            List<Object> state = new ArrayList<>();
            for (ClusterEndpoint endpoint : live.resilience().endpoints()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("url", live.endpoints().get(endpoint.index()).toString());
                e.put("weight", endpoint.weight());
                e.put("health", endpoint.health().name().toLowerCase(Locale.ROOT));
                e.put("ejected", endpoint.ejected());
                e.put("available", endpoint.available());
                e.put("in_flight", endpoint.inFlight());
                state.add(e);
            }
            view.put("endpoint_state", state);
            view.put("circuit_state", live.resilience().circuitBreaker()
                    .map(b -> b.state().name().toLowerCase(Locale.ROOT)).orElse("disabled"));
            if (cluster != null) {
                view.put("load_balancing", cluster.resilience().loadBalancing().name().toLowerCase(Locale.ROOT));
                view.put("health_check", cluster.resilience().healthCheck() != null);
                view.put("outlier_detection", cluster.resilience().outlierDetection() != null);
                view.put("retry_max_attempts", cluster.resilience().retry().maxAttempts());
                view.put("connect_timeout_ms", cluster.connectTimeout().toMillis());
                view.put("response_timeout_ms", cluster.responseTimeout().toMillis());
                view.put("max_connections", cluster.maxConnections());
            }
            clusters.add(view);
        }
        return Map.of("source", dataPlane.configSource(), "clusters", clusters);
    }

    /** Validates the route file and swaps it in; 400 with every error (and the old config still serving) when invalid. */
    @Post(uri = "/reload", produces = {MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<Map<String, Object>> reload() {
        return switch (dataPlane.reload()) {
            case EdgeDataPlane.ReloadResult.Applied applied -> HttpResponse.ok(Map.of("status", "applied",
                    "routes", applied.routes(), "clusters", applied.clusters()));
            case EdgeDataPlane.ReloadResult.Rejected rejected -> {
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("type", "urn:atrium:problem:config-invalid");
                problem.put("title", "Invalid configuration");
                problem.put("status", 400);
                problem.put("detail", "The config was not applied; the previous config keeps serving. Fix every error listed.");
                problem.put("instance", "/config/reload");
                problem.put("code", ProblemTypes.CONFIG_INVALID_CODE);
                problem.put("errors", rejected.errors());
                yield HttpResponse.<Map<String, Object>>status(HttpStatus.BAD_REQUEST).contentType(Problem.MEDIA_TYPE).body(problem);
            }
        };
    }

    private static Map<String, Object> route(RouteConfig route) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", route.name());
        view.put("path_prefix", route.pathPrefix());
        view.put("cluster", route.cluster());
        route.prefixRewrite().ifPresent(r -> view.put("prefix_rewrite", r));
        RoutePolicies policies = route.policies();
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("enabled", policies.auth().settings().enabled());
        auth.put("enforce", policies.auth().settings().enforce());
        auth.put("public", policies.auth().access() instanceof RouteAccess.Public);
        if (policies.auth().access() instanceof RouteAccess.Authenticated a) {
            auth.put("credentials", new TreeSet<>(a.credentials().stream().map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList()));
            auth.put("required_scopes", new TreeSet<>(a.requiredScopes()));
            auth.put("required_roles", new TreeSet<>(a.requiredRoles()));
            auth.put("forward_credentials", policies.auth().forwardCredentials());
        }
        view.put("auth", auth);
        policies.rateLimit().ifPresent(limit -> {
            Map<String, Object> rate = new LinkedHashMap<>();
            rate.put("enforce", limit.settings().enforce());
            rate.put("key", keyName(limit.config().key()));
            List<Object> limits = new ArrayList<>();
            for (Limit l : limit.config().limits()) {
                limits.add(Map.of("requests", l.requests(), "period_ms", l.period().toMillis(), "burst", l.burst()));
            }
            rate.put("limits", limits);
            rate.put("on_store_failure", limit.config().onStoreFailure().name().toLowerCase(java.util.Locale.ROOT));
            view.put("rate_limit", rate);
        });
        Protection protection = policies.protection();
        view.put("max_request_body", protection.maxRequestBody());
        protection.cors().ifPresent(cors -> view.put("cors_origins", new TreeSet<>(cors.allowOrigins())));
        if (!protection.ipFilter().isEmpty()) {
            view.put("ip_filter", Map.of("allow", protection.ipFilter().allow().size(), "deny", protection.ipFilter().deny().size()));
        }
        view.put("redirect_to_https", protection.redirectToHttps());
        if (route.transform().active()) {
            view.put("transform", transform(route.transform()));
        }
        return view;
    }

    /** Which transformations a route runs (names of the parts only: values may hold configured secrets). */
    private static Map<String, Object> transform(TransformConfig transform) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enforce", transform.settings().enforce());
        List<String> request = new ArrayList<>();
        if (!transform.request().headers().isEmpty()) {
            request.add("headers");
        }
        if (!transform.request().query().isEmpty()) {
            request.add("query");
        }
        transform.request().path().ifPresent(p -> request.add("path"));
        transform.request().host().ifPresent(h -> request.add("host"));
        view.put("request", request);
        List<String> response = new ArrayList<>();
        if (!transform.response().headers().isEmpty()) {
            response.add("headers");
        }
        transform.response().json().ifPresent(json -> response.add("json"));
        view.put("response", response);
        transform.response().json().ifPresent(json -> view.put("json", Map.of("max_body", json.maxBody(),
                "on_too_large", json.onTooLarge().name().toLowerCase(java.util.Locale.ROOT))));
        return view;
    }

    private static String keyName(RateLimitKey key) {
        return switch (key) {
            case RateLimitKey.Consumer c -> "consumer";
            case RateLimitKey.Subject s -> "subject";
            case RateLimitKey.ClientIp ip -> "client_ip";
            case RateLimitKey.Route r -> "route";
            case RateLimitKey.Header h -> "header:" + h.name();
        };
    }
}
