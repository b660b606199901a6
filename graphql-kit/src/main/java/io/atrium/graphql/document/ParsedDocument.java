package io.atrium.graphql.document;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.GraphQLErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cached document: parsed (or the parse errors), measured per operation, validated on first use. Validation is
 * deferred so that an operation over a limit is refused without paying for it.
 */
public final class ParsedDocument {
    private final Document document;
    private final List<Map<String, Object>> errors;
    private final int tokens;
    private final int heightCap;
    private final GraphQLSchema schema;
    private final Map<OperationDefinition, OperationMeasurements> measured = new ConcurrentHashMap<>();
    private final Map<OperationDefinition, Object> staticCosts = new ConcurrentHashMap<>();
    private volatile List<Map<String, Object>> validationErrors;

    ParsedDocument(Document document, List<Map<String, Object>> errors, int tokens, int heightCap, GraphQLSchema schema) {
        this.document = document;
        this.errors = List.copyOf(errors);
        this.tokens = tokens;
        this.heightCap = heightCap;
        this.schema = schema;
    }

    /** True when the document parsed; {@link #errors()} says why not otherwise. */
    public boolean parsed() {
        return document != null;
    }

    public Document document() {
        return document;
    }

    /** Parse errors (with their code); empty once parsed. */
    public List<Map<String, Object>> errors() {
        return errors;
    }

    public int tokens() {
        return tokens;
    }

    /** The operation's measurements for the limits, computed once. */
    /**
     * The estimated cost of an operation that takes no variables (so its estimate cannot change for this document and
     * schema), computed by {@code estimate} once and remembered with the document.
     */
    @SuppressWarnings("unchecked")
    public <T> T staticCost(OperationDefinition operation, java.util.function.Function<OperationDefinition, T> estimate) {
        return (T) staticCosts.computeIfAbsent(operation, estimate::apply);
    }

    public OperationMeasurements measurements(OperationDefinition operation) {
        return measured.computeIfAbsent(operation, op -> OperationMeasurer.measure(document, op, tokens, heightCap));
    }

    /** Validation errors against the schema (empty when valid), computed on first call and kept. */
    public List<Map<String, Object>> validationErrors() {
        List<Map<String, Object>> known = validationErrors;
        if (known == null) {
            known = validate();
            validationErrors = known;
        }
        return known;
    }

    private List<Map<String, Object>> validate() {
        List<ValidationError> found = new Validator().validateDocument(schema, document, Locale.ENGLISH);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ValidationError error : found) {
            out.add(GraphQLErrors.error(error.getDescription() != null ? error.getDescription() : error.getMessage(),
                    GraphQLErrorCodes.GRAPHQL_VALIDATION_FAILED,
                    error.getLocations() == null || error.getLocations().isEmpty() ? null : error.getLocations().getFirst()));
        }
        return List.copyOf(out);
    }
}
