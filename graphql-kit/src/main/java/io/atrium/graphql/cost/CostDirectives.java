package io.atrium.graphql.cost;

import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.TypeDefinition;
import graphql.language.Value;
import io.atrium.graphql.schema.LinkedDirectives;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code @cost} and {@code @listSize} of a (super)graph (IBM cost directive semantics as Apollo and Hive apply them),
 * read once per schema version, under the names the schema's {@code @link} to {@code specs.apollo.dev/cost} gives.
 */
public final class CostDirectives {
    public static final CostDirectives NONE = new CostDirectives(Map.of(), Map.of(), Map.of(), Map.of());

    /**
     * @param assumedSize               null when absent
     * @param slicingArguments          arguments whose value is the list's size (the largest present wins)
     * @param sizedFields               child fields the size applies to instead of this field (connections)
     * @param requireOneSlicingArgument exactly one slicing argument must be given (default true when there are some)
     */
    record ListSize(Integer assumedSize, List<String> slicingArguments, List<String> sizedFields,
                    boolean requireOneSlicingArgument) {
    }

    private final Map<String, Integer> typeWeights;
    private final Map<String, Integer> fieldWeights;
    private final Map<String, ListSize> listSizes;
    /** {@code Type.field(argument)} and {@code Input.field} weights. */
    private final Map<String, Integer> inputWeights;

    private CostDirectives(Map<String, Integer> typeWeights, Map<String, Integer> fieldWeights, Map<String, ListSize> listSizes,
                           Map<String, Integer> inputWeights) {
        this.typeWeights = Map.copyOf(typeWeights);
        this.fieldWeights = Map.copyOf(fieldWeights);
        this.listSizes = Map.copyOf(listSizes);
        this.inputWeights = Map.copyOf(inputWeights);
    }

    /** The {@code @cost} of a field's argument, or null. */
    Integer argumentWeight(String type, String field, String argument) {
        return inputWeights.isEmpty() ? null : inputWeights.get(type + "." + field + "(" + argument + ")");
    }

    /** The {@code @cost} of an input object's field, or null. */
    Integer inputFieldWeight(String inputType, String field) {
        return inputWeights.isEmpty() ? null : inputWeights.get(inputType + "." + field);
    }

    Integer typeWeight(String type) {
        return typeWeights.get(type);
    }

    Integer fieldWeight(String type, String field) {
        return fieldWeights.get(type + "." + field);
    }

    ListSize listSize(String type, String field) {
        return listSizes.get(type + "." + field);
    }

    public static CostDirectives read(String sdl) {
        Document document = LinkedDirectives.parseSdl(sdl);
        Map<String, String> names = LinkedDirectives.localNames(document, "cost", "cost", "listSize");
        if (names.isEmpty()) {
            return NONE;
        }
        String cost = null;
        String listSize = null;
        for (Map.Entry<String, String> name : names.entrySet()) {
            if (name.getValue().equals("cost")) {
                cost = name.getKey();
            } else {
                listSize = name.getKey();
            }
        }
        Map<String, Integer> typeWeights = new HashMap<>();
        Map<String, Integer> fieldWeights = new HashMap<>();
        Map<String, ListSize> listSizes = new HashMap<>();
        Map<String, Integer> inputWeights = new HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof InputObjectTypeDefinition input) {
                for (InputValueDefinition field : input.getInputValueDefinitions()) {
                    Integer fieldWeight = weight(field, cost);
                    if (fieldWeight != null) {
                        inputWeights.put(input.getName() + "." + field.getName(), fieldWeight);
                    }
                }
            }
            if (!(definition instanceof TypeDefinition<?> type)) {
                continue;
            }
            Integer weight = weight(type, cost);
            if (weight != null) {
                typeWeights.put(type.getName(), weight);
            }
            if (type instanceof ImplementingTypeDefinition<?> implementing) {
                for (FieldDefinition field : implementing.getFieldDefinitions()) {
                    String coordinate = type.getName() + "." + field.getName();
                    Integer fieldWeight = weight(field, cost);
                    if (fieldWeight != null) {
                        fieldWeights.put(coordinate, fieldWeight);
                    }
                    for (InputValueDefinition argument : field.getInputValueDefinitions()) {
                        Integer argumentWeight = weight(argument, cost);
                        if (argumentWeight != null) {
                            inputWeights.put(coordinate + "(" + argument.getName() + ")", argumentWeight);
                        }
                    }
                    Directive size = field.getDirectives(listSize).stream().findFirst().orElse(null);
                    if (size != null) {
                        listSizes.put(coordinate, listSize(size));
                    }
                }
            }
        }
        return new CostDirectives(typeWeights, fieldWeights, listSizes, inputWeights);
    }

    private static ListSize listSize(Directive directive) {
        Value<?> assumed = LinkedDirectives.argument(directive, "assumedSize");
        Value<?> requireOne = LinkedDirectives.argument(directive, "requireOneSlicingArgument");
        List<String> slicing = strings(LinkedDirectives.argument(directive, "slicingArguments"));
        return new ListSize(assumed instanceof IntValue i ? i.getValue().intValue() : null, slicing,
                strings(LinkedDirectives.argument(directive, "sizedFields")),
                requireOne instanceof BooleanValue b ? b.isValue() : !slicing.isEmpty());
    }

    private static Integer weight(DirectivesContainer<?> element, String name) {
        for (Directive directive : element.getDirectives(name)) {
            Value<?> weight = LinkedDirectives.argument(directive, "weight");
            if (weight instanceof IntValue i) {
                return i.getValue().intValue();
            }
            if (weight instanceof StringValue s) { // the IBM spec's String weight
                try {
                    return (int) Math.round(Double.parseDouble(s.getValue()));
                } catch (NumberFormatException ignored) {
                    return null;
                }
            }
        }
        return null;
    }

    private static List<String> strings(Value<?> value) {
        List<String> out = new ArrayList<>();
        if (value instanceof ArrayValue array) {
            for (Value<?> item : array.getValues()) {
                if (item instanceof StringValue s) {
                    out.add(s.getValue());
                }
            }
        }
        return List.copyOf(out);
    }
}
