package io.atrium.router.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The router-config loader on arbitrary YAML, seeded with a real config's shape: a config or a
 * {@link ConfigException} naming the problem, never another exception, a hang or an out-of-memory error.
 */
class RouterConfigFuzz {
    private static final String[] FRAGMENTS = {
            "format_version: 1\n", "supergraph: s.graphql\n", "hot_reload: true\n", "introspection: false\n",
            "limits: { max_depth: 3, max_aliases: 2 }\n", "subgraphs:\n  a: { url: \"http://127.0.0.1:1/graphql\", timeout_ms: 10 }\n",
            "subgraph_defaults: { timeout_ms: 100, forward_headers: [x] }\n", "demand_control: { enabled: true, max: 10 }\n",
            "trusted_documents: { mode: allow }\n", "authorization: { reject_unauthorized: true }\n",
            "&a [*a, *a]\n", "{", "}", "[", "]", ": ", "\n  ", "- ", "!!str ", "~", "'", "\""};

    @FuzzTest
    void loadsOrRefusesWithAConfigError(FuzzedDataProvider data) {
        StringBuilder yaml = new StringBuilder();
        int parts = data.consumeInt(0, 24);
        for (int i = 0; i < parts; i++) {
            yaml.append(data.consumeBoolean() ? data.pickValue(FRAGMENTS) : data.consumeString(32));
        }
        try {
            RouterConfigLoader.parse(yaml.toString());
        } catch (ConfigException expected) {
            // refused with a message: fine
        }
    }
}
