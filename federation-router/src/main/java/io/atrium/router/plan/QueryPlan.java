package io.atrium.router.plan;

/**
 * The plan for one operation: a tree of {@link PlanNode}s (null when nothing needs fetching, e.g. only
 * {@code __typename} or introspection) and the shape used to build the client's response.
 */
public record QueryPlan(PlanNode root, ResponseShape shape) {

    /** The stable, human-readable text form used in golden tests and {@code extensions.queryPlan}. */
    public String toText() {
        StringBuilder out = new StringBuilder("QueryPlan {\n");
        if (root != null) {
            print(root, "  ", out);
            out.append('\n');
        }
        return out.append("}").toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    private static void print(PlanNode node, String indent, StringBuilder out) {
        out.append(indent);
        switch (node) {
            case PlanNode.Fetch fetch -> printFetch(fetch, indent, out);
            case PlanNode.Sequence sequence -> printChildren("Sequence", sequence.nodes(), indent, out);
            case PlanNode.Parallel parallel -> printChildren("Parallel", parallel.nodes(), indent, out);
            case PlanNode.Flatten flatten -> {
                if (flatten.paths().size() == 1) {
                    out.append("Flatten(path: \"").append(String.join(".", flatten.paths().getFirst())).append("\") {\n");
                } else {
                    out.append("Flatten(paths: [");
                    for (int i = 0; i < flatten.paths().size(); i++) {
                        out.append(i == 0 ? "\"" : ", \"").append(String.join(".", flatten.paths().get(i))).append('"');
                    }
                    out.append("]) {\n");
                }
                print(flatten.node(), indent + "  ", out);
                out.append(",\n").append(indent).append('}');
            }
            case PlanNode.Condition condition -> {
                out.append("Condition(if: $").append(condition.variable()).append(") {\n");
                if (condition.ifTrue() != null) {
                    print(condition.ifTrue(), indent + "  ", out);
                    out.append('\n');
                }
                out.append(indent).append('}');
                if (condition.ifFalse() != null) {
                    out.append(" Else {\n");
                    print(condition.ifFalse(), indent + "  ", out);
                    out.append('\n').append(indent).append('}');
                }
            }
        }
    }

    private static void printChildren(String name, java.util.List<PlanNode> nodes, String indent, StringBuilder out) {
        out.append(name).append(" {\n");
        for (PlanNode child : nodes) {
            print(child, indent + "  ", out);
            out.append(",\n");
        }
        out.append(indent).append('}');
    }

    private static void printFetch(PlanNode.Fetch fetch, String indent, StringBuilder out) {
        out.append("Fetch(service: \"").append(fetch.serviceName()).append("\"");
        if (!fetch.variableUsages().isEmpty()) {
            out.append(", variables: [").append(String.join(", ", fetch.variableUsages())).append(']');
        }
        out.append(") {\n");
        String inner = indent + "  ";
        if (fetch.isEntityFetch()) {
            for (PlanNode.ContextVariable variable : fetch.contextVariables()) {
                out.append(inner).append("context($").append(variable.variable()).append(" = \"")
                        .append(String.join(".", variable.ancestorPath())).append("\" ")
                        .append(graphql.language.AstPrinter.printAstCompact(variable.selection())).append(")\n");
            }
            for (String type : fetch.typenameRewrites()) {
                out.append(inner).append("rewrite(... on ").append(type).append(" { __typename = \"").append(type)
                        .append("\" })\n");
            }
            out.append(inner);
            SelectionItem.printPretty(fetch.requires(), inner, out);
            out.append(" =>\n");
        }
        out.append(inner);
        SelectionItem.printPretty(fetch.selections(), inner, out);
        for (PlanNode.KeyRename rename : fetch.outputRenames()) {
            out.append(",\n").append(inner).append("rename(\"");
            for (String step : rename.path()) {
                out.append(step).append('.');
            }
            out.append(rename.from()).append("\" => \"").append(rename.to()).append("\")");
        }
        out.append('\n').append(indent).append('}');
    }
}
