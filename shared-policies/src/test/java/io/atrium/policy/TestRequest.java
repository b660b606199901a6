package io.atrium.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link PolicyRequest} built in tests, as an app would adapt its own request. */
public final class TestRequest implements PolicyRequest {

    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private String method = "GET";
    private String path = "/orders";
    private String query;
    private InetAddress clientAddress = InetAddress.ofLiteral("192.0.2.10");
    private String routeId = "orders";

    public static TestRequest get(String path) {
        TestRequest request = new TestRequest();
        request.path = path;
        return request;
    }

    public TestRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
        return this;
    }

    public TestRequest query(String rawQuery) {
        this.query = rawQuery;
        return this;
    }

    public TestRequest from(String address) {
        this.clientAddress = InetAddress.ofLiteral(address);
        return this;
    }

    public TestRequest route(String id) {
        this.routeId = id;
        return this;
    }

    public PolicyContext context() {
        return PolicyContext.of(this, "req-1");
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.getFirst();
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public InetAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public String routeId() {
        return routeId;
    }
}
