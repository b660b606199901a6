package io.atrium.router.execute;

import io.atrium.router.plan.ResponseShape;
import io.atrium.router.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the client's operation over the merged response tree: picks fields in the client's order under their
 * response keys, applies fragments by runtime type and {@code @skip}/{@code @include}, and propagates nulls in
 * non-null positions to the nearest nullable parent.
 */
final class ResponseBuilder {
    /** Marks a null in a non-null position; never leaves this class. */
    private static final Object BUBBLE = new Object();

    private final Supergraph supergraph;
    private final Map<String, Object> variables;
    private final List<Map<String, Object>> errors;
    private final List<Object> path = new ArrayList<>();
    /** Field collection per (field, runtime type) for the common case of a response key selected once. */
    private final Map<ResponseShape.Field, Map<String, Map<String, List<ResponseShape.Field>>>> collected =
            new java.util.IdentityHashMap<>();

    /** @param errors the response's errors so far; a null in a non-null position nobody explained adds one */
    ResponseBuilder(Supergraph supergraph, Map<String, Object> variables, List<Map<String, Object>> errors) {
        this.supergraph = supergraph;
        this.variables = variables;
        this.errors = errors;
    }

    /** Thrown by the streaming walk when the response needs null propagation or an error: build a tree instead. */
    private static final class NeedsTree extends RuntimeException {
        NeedsTree() {
            super(null, null, false, false);
        }
    }

    private static final NeedsTree NEEDS_TREE = new NeedsTree();

    /**
     * The common case in one pass: walks the operation over the merged data writing the client's {@code data}
     * straight to JSON bytes, without building a response tree. Returns null when some value needs null
     * propagation or an error (a null in a non-null position, an enum value the client cannot see): the caller
     * then uses {@link #build}, which handles those.
     */
    io.atrium.router.json.RawJson stream(ResponseShape shape, Map<String, Object> data, Map<String, Object> introspection) {
        Buffer out = new Buffer();
        try (tools.jackson.core.JsonGenerator generator = io.atrium.router.json.Json.generator(out)) {
            Map<String, List<ResponseShape.Field>> fields = new LinkedHashMap<>();
            collect(shape.selections(), shape.rootType(), fields);
            generator.writeStartObject();
            for (Map.Entry<String, List<ResponseShape.Field>> entry : fields.entrySet()) {
                ResponseShape.Field field = entry.getValue().getFirst();
                generator.writeName(entry.getKey());
                if (field.introspection()) {
                    io.atrium.router.json.Json.writeValue(generator, introspection.get(entry.getKey()));
                } else if (field.fieldName().equals("__typename")) {
                    generator.writeString(shape.rootType());
                } else {
                    streamValue(generator, field.type(), data.get(field.dataKey()), entry.getValue());
                }
            }
            generator.writeEndObject();
        } catch (NeedsTree e) {
            return null;
        }
        return out.toRawJson();
    }

    /** A byte array stream whose contents become a {@link io.atrium.router.json.RawJson} without a copy. */
    private static final class Buffer extends java.io.ByteArrayOutputStream {
        Buffer() {
            super(8192);
        }

        io.atrium.router.json.RawJson toRawJson() {
            return new io.atrium.router.json.RawJson(buf, count);
        }
    }

    /** Writes a completed value; returns true when it wrote null. */
    private boolean streamValue(tools.jackson.core.JsonGenerator generator, ResponseShape.TypeRef type, Object value,
                                List<ResponseShape.Field> fields) {
        switch (type) {
            case ResponseShape.NonNull nonNull -> {
                if (streamValue(generator, nonNull.inner(), value, fields)) {
                    throw NEEDS_TREE;
                }
                return false;
            }
            case ResponseShape.ListOf list -> {
                if (!(value instanceof List<?> items)) {
                    generator.writeNull();
                    return true;
                }
                generator.writeStartArray();
                for (Object item : items) {
                    streamValue(generator, list.inner(), item, fields);
                }
                generator.writeEndArray();
                return false;
            }
            case ResponseShape.Named named -> {
                if (value == null) {
                    generator.writeNull();
                    return true;
                }
                if (!named.composite()) {
                    if (named.enumValues() != null && !(value instanceof String v && named.enumValues().contains(v))) {
                        throw NEEDS_TREE;
                    }
                    io.atrium.router.json.Json.writeValue(generator, value);
                    return false;
                }
                if (!(value instanceof Map<?, ?> map)) {
                    generator.writeNull();
                    return true;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                String typename = clientTypename(object, named);
                if (typename == null) {
                    generator.writeNull();
                    return true;
                }
                generator.writeStartObject();
                for (Map.Entry<String, List<ResponseShape.Field>> entry : subfields(fields, typename).entrySet()) {
                    ResponseShape.Field field = entry.getValue().getFirst();
                    generator.writeName(entry.getKey());
                    if (field.fieldName().equals("__typename")) {
                        generator.writeString(typename);
                    } else {
                        streamValue(generator, field.type(), object.get(field.dataKey()), entry.getValue());
                    }
                }
                generator.writeEndObject();
                return false;
            }
        }
    }

    Map<String, Object> build(ResponseShape shape, Map<String, Object> data, Map<String, Object> introspection) {
        Map<String, List<ResponseShape.Field>> fields = new LinkedHashMap<>();
        collect(shape.selections(), shape.rootType(), fields);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<ResponseShape.Field>> entry : fields.entrySet()) {
            ResponseShape.Field field = entry.getValue().getFirst();
            Object value;
            if (field.introspection()) {
                value = introspection.get(entry.getKey());
            } else if (field.fieldName().equals("__typename")) {
                value = shape.rootType();
            } else {
                path.add(entry.getKey());
                value = complete(field.type(), data.get(field.dataKey()), entry.getValue());
                if (value == BUBBLE) {
                    nonNullViolation(shape.rootType(), field);
                    return null;
                }
                path.removeLast();
            }
            out.put(entry.getKey(), value);
        }
        return out;
    }

    private Object complete(ResponseShape.TypeRef type, Object value, List<ResponseShape.Field> fields) {
        return switch (type) {
            case ResponseShape.NonNull nonNull -> {
                Object inner = complete(nonNull.inner(), value, fields);
                yield inner == null || inner == BUBBLE ? BUBBLE : inner;
            }
            case ResponseShape.ListOf list -> {
                if (!(value instanceof List<?> items)) {
                    yield null;
                }
                List<Object> out = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    path.add(i);
                    Object completed = complete(list.inner(), items.get(i), fields);
                    if (completed == BUBBLE) {
                        path.removeLast();
                        yield null;
                    }
                    path.removeLast();
                    out.add(completed);
                }
                yield out;
            }
            case ResponseShape.Named named -> {
                if (value == null) {
                    yield null;
                }
                if (!named.composite()) {
                    if (named.enumValues() != null && !(value instanceof String v && named.enumValues().contains(v))) {
                        invalidEnumValue(named.name(), value);
                        yield null;
                    }
                    yield value;
                }
                if (!(value instanceof Map<?, ?> map)) {
                    yield null;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                yield completeObject(named, object, fields);
            }
        };
    }

    private Object completeObject(ResponseShape.Named type, Map<String, Object> object, List<ResponseShape.Field> fields) {
        String typename = clientTypename(object, type);
        if (typename == null) {
            return null;
        }
        Map<String, List<ResponseShape.Field>> subfields = subfields(fields, typename);
        Map<String, Object> out = LinkedHashMap.newLinkedHashMap(subfields.size());
        for (Map.Entry<String, List<ResponseShape.Field>> entry : subfields.entrySet()) {
            ResponseShape.Field field = entry.getValue().getFirst();
            if (field.fieldName().equals("__typename")) {
                out.put(entry.getKey(), typename);
                continue;
            }
            path.add(entry.getKey());
            Object value = complete(field.type(), object.get(field.dataKey()), entry.getValue());
            if (value == BUBBLE) {
                nonNullViolation(typename, field);
                path.removeLast();
                return null;
            }
            path.removeLast();
            out.put(entry.getKey(), value);
        }
        return out;
    }

    /**
     * The object's type as the client sees it; null when it has none, or when the subgraph returned a type the API
     * schema does not have ({@code @inaccessible}): the client cannot be shown such an object, so it is null.
     */
    private String clientTypename(Map<String, Object> object, ResponseShape.Named type) {
        Object found = object.get("__typename");
        if (type.objectType() && (found == null || type.name().equals(found))) {
            // the field's own object type, which the API schema has (the operation was validated against it): the
            // shape's name, whose hash is cached and which the subfields memo below finds by identity, rather than a
            // lookup of the __typename a subgraph or connector sent (a new string per object)
            return type.name();
        }
        if (!(found instanceof String typename)) {
            return type.objectType() ? type.name() : null;
        }
        io.atrium.router.supergraph.TypeMeta meta = supergraph.type(typename);
        return meta == null || meta.inaccessible() ? null : meta.name();
    }

    private Map<String, List<ResponseShape.Field>> subfields(List<ResponseShape.Field> fields, String typename) {
        if (fields.size() == 1) {
            return collected.computeIfAbsent(fields.getFirst(), f -> new java.util.HashMap<>(4))
                    .computeIfAbsent(typename, t -> collectSubfields(fields, t));
        }
        return collectSubfields(fields, typename);
    }

    private Map<String, List<ResponseShape.Field>> collectSubfields(List<ResponseShape.Field> fields, String typename) {
        Map<String, List<ResponseShape.Field>> result = new LinkedHashMap<>();
        for (ResponseShape.Field field : fields) {
            if (field.selections() != null) {
                collect(field.selections(), typename, result);
            }
        }
        return result;
    }

    /** A subgraph value the client's schema does not have ({@code @inaccessible} or unknown): null with an error. */
    private void invalidEnumValue(String enumName, Object value) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Enum \"" + enumName + "\" cannot represent value: "
                + (value instanceof String s ? "\"" + s + "\"" : String.valueOf(value)));
        error.put("path", List.copyOf(path));
        errors.add(error);
    }

    /** Adds an error for a null in a non-null position unless an error at or below this path explains it. */
    private void nonNullViolation(String parentType, ResponseShape.Field field) {
        for (Map<String, Object> error : errors) {
            if (error.get("path") instanceof List<?> errorPath && startsWith(errorPath, path)) {
                return;
            }
            if (!(error.get("path") instanceof List<?>)) {
                return; // a failed fetch explains every null it caused
            }
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Cannot return null for non-nullable field " + parentType + "." + field.fieldName() + ".");
        error.put("path", List.copyOf(path));
        errors.add(error);
    }

    private static boolean startsWith(List<?> list, List<Object> prefix) {
        if (list.size() < prefix.size()) {
            return false;
        }
        for (int i = 0; i < prefix.size(); i++) {
            if (!String.valueOf(list.get(i)).equals(String.valueOf(prefix.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private void collect(List<ResponseShape.Selection> selections, String typename,
                         Map<String, List<ResponseShape.Field>> out) {
        for (ResponseShape.Selection selection : selections) {
            if (!passes(selection.conditions())) {
                continue;
            }
            switch (selection) {
                case ResponseShape.Field field ->
                        out.computeIfAbsent(field.responseKey(), k -> new ArrayList<>(1)).add(field);
                case ResponseShape.Fragment fragment -> {
                    if (fragment.typeCondition() == null || supergraph.isSubtype(typename, fragment.typeCondition())) {
                        collect(fragment.selections(), typename, out);
                    }
                }
            }
        }
    }

    private boolean passes(List<ResponseShape.Condition> conditions) {
        for (ResponseShape.Condition condition : conditions) {
            if (!condition.passes(variables)) {
                return false;
            }
        }
        return true;
    }
}
