package io.atrium.router.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic federated graph for scale: {@code subgraphs} subgraphs, each owning 4 entities (key {@code id}) and
 * 15 value types of its own, extending 3 entities of its neighbours with fields that {@code @requires} the owner's
 * {@code price}, and sharing 20 {@code @shareable} value types. Entities link to entities of their own subgraph
 * ({@code next}) and are reached from the root, so the graph is wide rather than one long chain. 100 subgraphs give about 1,900 types.
 */
final class GeneratedGraph {
    private static final String LINK = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\","
            + " import: [\"@key\", \"@shareable\", \"@external\", \"@requires\", \"@provides\"])\n";

    private GeneratedGraph() {
    }

    static List<SubgraphSource> subgraphs(int count) {
        List<SubgraphSource> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            StringBuilder sdl = new StringBuilder(LINK);
            sdl.append("type Query { q").append(s).append(": [E").append(s * 4).append("] }\n");
            for (int k = 0; k < 4; k++) {
                int e = s * 4 + k;
                sdl.append("type E").append(e).append(" @key(fields: \"id\") { id: ID! name: String price: Int next: E")
                        .append(s * 4 + (k + 1) % 4).append(" shared: V").append(e % 20);
                for (int m = 0; m < 15; m++) {
                    if (m % 4 == k) {
                        sdl.append(" o").append(m).append(": O").append(s).append('_').append(m);
                    }
                }
                sdl.append(" }\n");
            }
            for (int m = 0; m < 15; m++) {
                sdl.append("type O").append(s).append('_').append(m).append(" { a: Int b: String c: [Int] }\n");
            }
            for (int v = 0; v < 20; v++) {
                sdl.append("type V").append(v).append(" @shareable { a: Int b: String }\n");
            }
            for (int t = 1; t <= 3; t++) {
                int e = extended(s, t, count);
                if (e / 4 == s) {
                    continue;
                }
                sdl.append("type E").append(e).append(" @key(fields: \"id\") { id: ID! price: Int @external ext")
                        .append(s).append(": Int cost").append(s).append(": Int @requires(fields: \"price\") }\n");
            }
            out.add(new SubgraphSource("s" + s, "http://s" + s + ".invalid/graphql", sdl.toString()));
        }
        return out;
    }

    private static int extended(int s, int t, int count) {
        return ((s + t) % count) * 4 + (t % 4);
    }
}
