package io.atrium.router.connector;

import java.util.Map;

/**
 * One call of a {@link FieldResolver}.
 *
 * @param typeName  the parent type ({@code Query}, {@code Mutation} or an object type)
 * @param fieldName the field
 * @param arguments the field's arguments with variables substituted (JSON values; absent arguments absent)
 * @param parent    the parent object (JSON), or null for root fields
 * @param context   what the whole subgraph request shares
 */
public record FieldCall(String typeName, String fieldName, Map<String, Object> arguments, Map<String, Object> parent,
                        CallContext context) {
}
