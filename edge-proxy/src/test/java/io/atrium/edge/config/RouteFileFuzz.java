package io.atrium.edge.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The route-file loader on arbitrary YAML, seeded with the shape of a real one: it returns a config or refuses with an
 * {@link EdgeConfigException} naming the problem — never another exception, a hang or an out-of-memory error
 * (YAML aliases and deep nesting included).
 */
class RouteFileFuzz {
    private static final String[] FRAGMENTS = {
            "format_version: 1\n", "listeners:\n  http: { port: 0 }\n", "clusters:\n  a:\n    endpoints: [ \"http://127.0.0.1:1\" ]\n",
            "routes:\n  - name: r\n    match: { path_prefix: / }\n    cluster: a\n", "    auth: { public: true }\n",
            "    rate_limit: { key: ip, limits: [ { requests: 10, period: 1s } ] }\n", "    transform: { request: { headers: { add: { x: y } } } }\n",
            "&a [*a]\n", "{", "}", "[", "]", ": ", "\n  ", "- ", "!!binary ", "~", "'", "\""};

    @FuzzTest
    void loadsOrRefusesWithAConfigError(FuzzedDataProvider data) {
        StringBuilder yaml = new StringBuilder();
        int parts = data.consumeInt(0, 24);
        for (int i = 0; i < parts; i++) {
            yaml.append(data.consumeBoolean() ? data.pickValue(FRAGMENTS) : data.consumeString(32));
        }
        try {
            EdgeConfigLoader.parse(yaml.toString(), "fuzz");
        } catch (EdgeConfigException expected) {
            // refused with a message: fine
        }
    }
}
