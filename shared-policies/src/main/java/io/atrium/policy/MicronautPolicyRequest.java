package io.atrium.policy;

import io.micronaut.http.HttpRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The {@link PolicyRequest} view of a Micronaut request, for the deployables that run policies in their Micronaut
 * request pipeline (router, BFFs). Reads through to the request; copies nothing.
 */
public final class MicronautPolicyRequest implements PolicyRequest {

    private final HttpRequest<?> request;
    private final String routeId;

    private MicronautPolicyRequest(HttpRequest<?> request, String routeId) {
        this.request = request;
        this.routeId = routeId;
    }

    public static PolicyRequest of(HttpRequest<?> request, String routeId) {
        return new MicronautPolicyRequest(Objects.requireNonNull(request, "request"), Objects.requireNonNull(routeId, "routeId"));
    }

    @Override
    public String method() {
        return request.getMethodName();
    }

    @Override
    public String path() {
        return request.getPath();
    }

    @Override
    public String query() {
        return request.getUri().getRawQuery();
    }

    @Override
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public List<String> headerValues(String name) {
        return request.getHeaders().getAll(name);
    }

    @Override
    public InetAddress clientAddress() {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public String routeId() {
        return routeId;
    }
}
