package io.atrium.router.supergraph;

import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.schema.idl.errors.SchemaProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Derives the client-facing API schema: no link/join machinery, nothing {@code @inaccessible}. */
final class ApiSchemaBuilder {
    private final Document supergraph;
    private final LinkedFeatures features;
    private final String inaccessible;
    private final Set<String> hiddenTypes = new HashSet<>();

    ApiSchemaBuilder(Document supergraph, LinkedFeatures features, String inaccessible) {
        this.supergraph = supergraph;
        this.features = features;
        this.inaccessible = inaccessible;
    }

    GraphQLSchema build() {
        for (Definition<?> definition : supergraph.getDefinitions()) {
            if (definition instanceof TypeDefinition<?> type && !(definition instanceof DirectiveDefinition)
                    && (features.isFeatureElement(type.getName()) || hidden(type))) {
                hiddenTypes.add(type.getName());
            }
        }
        List<Definition> kept = new ArrayList<>();
        for (Definition<?> definition : supergraph.getDefinitions()) {
            Definition<?> filtered = filter(definition);
            if (filtered != null) {
                kept.add(filtered);
            }
        }
        Document api = Document.newDocument().definitions(kept).build();
        try {
            return UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().buildRegistry(api));
        } catch (SchemaProblem e) {
            throw new SupergraphException("the API schema derived from the supergraph is invalid: " + e.getMessage(), e);
        }
    }

    private Definition<?> filter(Definition<?> definition) {
        return switch (definition) {
            case DirectiveDefinition d -> features.isFeatureElement(d.getName()) ? null : d;
            case SchemaDefinition s -> s.transform(b -> b.directives(List.of()));
            case TypeDefinition<?> t when hiddenTypes.contains(t.getName()) -> null;
            case ObjectTypeDefinition o -> o.transform(b -> b.directives(directives(o))
                    .fieldDefinitions(fields(o.getFieldDefinitions()))
                    .implementz(visibleTypes(o.getImplements())));
            case InterfaceTypeDefinition i -> i.transform(b -> b.directives(directives(i))
                    .definitions(fields(i.getFieldDefinitions()))
                    .implementz(visibleTypes(i.getImplements())));
            case UnionTypeDefinition u -> u.transform(b -> b.directives(directives(u))
                    .memberTypes(visibleTypes(u.getMemberTypes())));
            case EnumTypeDefinition e -> e.transform(b -> b.directives(directives(e))
                    .enumValueDefinitions(enumValues(e.getEnumValueDefinitions())));
            case InputObjectTypeDefinition in -> in.transform(b -> b.directives(directives(in))
                    .inputValueDefinitions(inputValues(in.getInputValueDefinitions())));
            case ScalarTypeDefinition sc -> sc.transform(b -> b.directives(directives(sc)));
            default -> definition;
        };
    }

    private boolean hidden(DirectivesContainer<?> container) {
        return !container.getDirectives(inaccessible).isEmpty();
    }

    private List<Directive> directives(DirectivesContainer<?> container) {
        List<Directive> kept = new ArrayList<>();
        for (Directive d : container.getDirectives()) {
            if (!features.isFeatureElement(d.getName())) {
                kept.add(d);
            }
        }
        return kept;
    }

    private List<FieldDefinition> fields(List<FieldDefinition> fields) {
        List<FieldDefinition> kept = new ArrayList<>();
        for (FieldDefinition f : fields) {
            if (hidden(f) || hiddenTypes.contains(SupergraphReader.namedType(f.getType()))) {
                continue;
            }
            kept.add(f.transform(b -> b.directives(directives(f))
                    .inputValueDefinitions(inputValues(f.getInputValueDefinitions()))));
        }
        return kept;
    }

    private List<InputValueDefinition> inputValues(List<InputValueDefinition> values) {
        List<InputValueDefinition> kept = new ArrayList<>();
        for (InputValueDefinition v : values) {
            if (hidden(v) || hiddenTypes.contains(SupergraphReader.namedType(v.getType()))) {
                continue;
            }
            kept.add(v.transform(b -> b.directives(directives(v))));
        }
        return kept;
    }

    private List<EnumValueDefinition> enumValues(List<EnumValueDefinition> values) {
        List<EnumValueDefinition> kept = new ArrayList<>();
        for (EnumValueDefinition v : values) {
            if (!hidden(v)) {
                kept.add(v.transform(b -> b.directives(directives(v))));
            }
        }
        return kept;
    }

    private List<Type> visibleTypes(List<Type> types) {
        List<Type> kept = new ArrayList<>();
        for (Type<?> t : types) {
            if (!hiddenTypes.contains(((TypeName) t).getName())) {
                kept.add(t);
            }
        }
        return kept;
    }
}
