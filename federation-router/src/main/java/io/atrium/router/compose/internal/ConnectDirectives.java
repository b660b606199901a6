package io.atrium.router.compose.internal;

import graphql.language.Argument;
import graphql.language.Directive;
import java.util.ArrayList;
import java.util.List;

/**
 * Apollo Connectors in composition: a subgraph that {@code @link}s the connect spec keeps its {@code @link},
 * {@code @source} and {@code @connect} in the supergraph as {@code @join__directive(graphs: [G], name:, args:)} (the
 * subgraph's local directive names), and the supergraph links the connect spec for EXECUTION, as Apollo's composition
 * writes it; the router's connector runtime reads them from there.
 */
final class ConnectDirectives {

    static final String SPEC = "https://specs.apollo.dev/connect/";
    /** The version Apollo's composition (2.12+) links in the supergraph whatever version subgraphs use. */
    static final String SUPERGRAPH_LINK = "@link(url: \"" + SPEC + "v0.3\", for: EXECUTION)";

    private ConnectDirectives() {
    }

    /** True when {@code d} is one of the connect spec's directives in this subgraph (by import or prefix). */
    static boolean isConnect(SubgraphModel s, Directive d) {
        if (s.connectLink == null) {
            return false;
        }
        String url = s.linkOfDirective.get(d.getName());
        int prefix = d.getName().indexOf("__");
        if (url == null && prefix > 0) {
            url = s.linkOfDirective.get(d.getName().substring(0, prefix));
        }
        return url != null && url.startsWith(SPEC);
    }

    /** The schema directive of Atrium's generated gRPC subgraphs holding the descriptor hash they were made from. */
    static final String GRPC_SOURCE = "grpcSource";

    /** True when some subgraph links the connect spec (the supergraph then links it too). */
    static boolean used(MergedSchema schema) {
        for (SubgraphModel s : schema.subgraphs) {
            if (s.connectLink != null) {
                return true;
            }
        }
        return false;
    }

    /** True when the supergraph carries schema {@code @join__directive}s: connect sources or gRPC snapshots. */
    static boolean carried(MergedSchema schema) {
        for (SubgraphModel s : schema.subgraphs) {
            if (s.connectLink != null || s.grpcSource != null) {
                return true;
            }
        }
        return false;
    }

    /** Adds the subgraph's connect directives among {@code applied} to a type's or field's supergraph directives. */
    static void carry(SubgraphModel s, List<SubgraphModel.Applied> applied, List<String> directives) {
        for (SubgraphModel.Applied a : applied) {
            if (isConnect(s, a.directive())) {
                directives.add(joinDirective(s, a.directive().getName(), a.directive().getArguments()));
            }
        }
    }

    /**
     * The schema's join directives: each connector subgraph's {@code @link} and {@code @source}s, and each gRPC
     * subgraph's {@code @grpcSource}, so the router can re-check the descriptors the subgraph was generated from.
     */
    static List<String> schemaDirectives(MergedSchema schema) {
        List<String> lines = new ArrayList<>();
        for (SubgraphModel s : schema.subgraphs) {
            if (s.grpcSource != null) {
                lines.add(joinDirective(s, GRPC_SOURCE, s.grpcSource.getArguments()));
            }
            if (s.connectLink == null) {
                continue;
            }
            lines.add(joinDirective(s, "link", s.connectLink.getArguments()));
            for (Directive d : s.connectSchemaDirectives) {
                lines.add(joinDirective(s, d.getName(), d.getArguments()));
            }
        }
        return lines;
    }

    private static String joinDirective(SubgraphModel s, String name, List<Argument> arguments) {
        StringBuilder args = new StringBuilder("{");
        for (Argument argument : arguments) {
            if (args.length() > 1) {
                args.append(", ");
            }
            args.append(argument.getName()).append(": ").append(Values.print(argument.getValue()));
        }
        return "@join__directive(graphs: [" + s.graphEnum + "], name: " + Values.quote(name) + ", args: " + args + "})";
    }
}
