package io.atrium.router.compose;

/**
 * One reason a set of subgraphs does not compose.
 *
 * @param code     a stable code; Apollo's composition error name where one exists (see {@link ErrorCode})
 * @param message  what is wrong, naming the subgraph, type and field, and what to do
 * @param subgraph the subgraph the error is located in, or null when it is about the composed graph as a whole
 * @param line     1-based line in that subgraph's SDL, or 0 when unknown
 * @param column   1-based column, or 0 when unknown
 */
public record CompositionError(String code, String message, String subgraph, int line, int column) {

    /** {@code subgraph:line:column} (or the parts known), for logs and CLI output. */
    public String location() {
        if (subgraph == null) {
            return "";
        }
        return line > 0 ? subgraph + ":" + line + ":" + column : subgraph;
    }

    @Override
    public String toString() {
        String where = location();
        return "[" + code + "] " + (where.isEmpty() ? "" : where + ": ") + message;
    }
}
