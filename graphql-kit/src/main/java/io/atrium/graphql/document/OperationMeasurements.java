package io.atrium.graphql.document;

/**
 * What operation limits look at, measured once per cached document and operation (fragments expanded).
 *
 * @param depth      deepest field nesting; a root field is depth 1
 * @param height     unique fields: fields with the same name in one (merged) selection set count once, aliases too;
 *                   capped at the measurer's cap (the value is then "at least this")
 * @param aliases    aliased fields
 * @param rootFields fields of the root selection set, every alias counted
 * @param directives directive uses (operation, variables, fields, fragments)
 * @param tokens     lexical tokens of the whole document
 */
public record OperationMeasurements(int depth, int height, long aliases, long rootFields, long directives, int tokens) {
}
