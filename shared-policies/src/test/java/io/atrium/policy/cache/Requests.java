package io.atrium.policy.cache;

import io.atrium.policy.PolicyContext;
import io.atrium.policy.PolicyRequest;
import io.atrium.policy.TestRequest;
import java.net.InetAddress;
import java.util.List;

/** Test requests with a method other than GET. */
final class Requests {

    private Requests() {
    }

    static PolicyContext withMethod(TestRequest request, String method) {
        PolicyRequest view = new PolicyRequest() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public String path() {
                return request.path();
            }

            @Override
            public String query() {
                return request.query();
            }

            @Override
            public String header(String name) {
                return request.header(name);
            }

            @Override
            public List<String> headerValues(String name) {
                return request.headerValues(name);
            }

            @Override
            public InetAddress clientAddress() {
                return request.clientAddress();
            }

            @Override
            public String routeId() {
                return request.routeId();
            }
        };
        return PolicyContext.of(view, "req-1");
    }
}
