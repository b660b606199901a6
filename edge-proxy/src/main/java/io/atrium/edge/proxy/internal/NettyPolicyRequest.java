package io.atrium.edge.proxy.internal;

import io.atrium.policy.PolicyRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetAddress;
import java.util.List;

/** The policies' view of a client request, over its Netty headers (nothing copied; path and query split lazily). */
final class NettyPolicyRequest implements PolicyRequest {

    private final HttpRequest request;
    private final HttpHeaders headers;
    private final String target;
    private final InetAddress client;
    private final String routeId;
    private String path;

    NettyPolicyRequest(HttpRequest request, String target, InetAddress client, String routeId) {
        this.request = request;
        this.headers = request.headers();
        this.target = target;
        this.client = client;
        this.routeId = routeId;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        if (path == null) {
            path = ProblemResponses.pathOf(target);
        }
        return path;
    }

    @Override
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.getAll(name);
    }

    @Override
    public InetAddress clientAddress() {
        return client;
    }

    @Override
    public String routeId() {
        return routeId;
    }
}
