package io.atrium.router.registry;

import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.diff.DiffEvent;
import graphql.schema.diff.DiffLevel;
import graphql.schema.diff.SchemaDiff;
import graphql.schema.diff.SchemaDiffSet;
import graphql.schema.diff.reporting.CapturingReporter;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks a schema change gets before it goes live: how the API schema changes (graphql-java's schema diff,
 * classified breaking / dangerous / safe) and which registered operations would no longer validate.
 */
public final class SchemaChecks {
    private SchemaChecks() {
    }

    /** The changes from {@code before} to {@code after}; empty when either is null (nothing to compare). */
    public static List<SchemaChange> diff(GraphQLSchema before, GraphQLSchema after) {
        if (before == null || after == null) {
            return List.of();
        }
        CapturingReporter reporter = new CapturingReporter();
        new SchemaDiff().diffSchema(SchemaDiffSet.diffSetFromSdl(before, after), reporter);
        List<SchemaChange> changes = new ArrayList<>();
        for (DiffEvent event : reporter.getEvents()) {
            if (event.getCategory() == null) {
                continue; // start/end markers
            }
            String coordinate = event.getFieldName() == null ? event.getTypeName()
                    : event.getTypeName() + "." + event.getFieldName();
            changes.add(new SchemaChange(level(event.getLevel()), event.getCategory().name(), coordinate,
                    event.getReasonMsg()));
        }
        return changes;
    }

    private static SchemaChange.Level level(DiffLevel level) {
        return switch (level) {
            case BREAKING -> SchemaChange.Level.BREAKING;
            case DANGEROUS -> SchemaChange.Level.DANGEROUS;
            case INFO -> SchemaChange.Level.SAFE;
        };
    }

    /** Every registered operation (per client name) that does not validate against {@code schema}. */
    public static List<OperationFailure> operations(GraphQLSchema schema,
                                                    Map<String, List<RegisteredOperation>> operations) {
        List<OperationFailure> failures = new ArrayList<>();
        Validator validator = new Validator();
        operations.forEach((client, list) -> {
            for (RegisteredOperation operation : list) {
                List<String> errors = new ArrayList<>();
                try {
                    Document document = Parser.parse(operation.body());
                    for (ValidationError error : validator.validateDocument(schema, document, Locale.ENGLISH)) {
                        errors.add(error.getMessage());
                    }
                } catch (InvalidSyntaxException e) {
                    errors.add(e.getMessage());
                }
                if (!errors.isEmpty()) {
                    failures.add(new OperationFailure(client, operation.id(), operation.name(), errors));
                }
            }
        });
        return failures;
    }
}
