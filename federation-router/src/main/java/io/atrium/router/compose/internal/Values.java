package io.atrium.router.compose.internal;

import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;

/** Prints GraphQL values the way Apollo's printer does ({@code {a: 1, b: [2, 3]}}). */
final class Values {
    private Values() {
    }

    static String print(Value<?> value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        print(value, out);
        return out.toString();
    }

    private static void print(Value<?> value, StringBuilder out) {
        switch (value) {
            case StringValue s -> out.append(quote(s.getValue()));
            case IntValue i -> out.append(i.getValue());
            case FloatValue f -> out.append(f.getValue().toPlainString());
            case BooleanValue b -> out.append(b.isValue());
            case NullValue ignored -> out.append("null");
            case EnumValue e -> out.append(e.getName());
            case VariableReference v -> out.append('$').append(v.getName());
            case ArrayValue a -> {
                out.append('[');
                for (int i = 0; i < a.getValues().size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    print(a.getValues().get(i), out);
                }
                out.append(']');
            }
            case ObjectValue o -> {
                out.append('{');
                for (int i = 0; i < o.getObjectFields().size(); i++) {
                    ObjectField field = o.getObjectFields().get(i);
                    if (i > 0) {
                        out.append(", ");
                    }
                    out.append(field.getName()).append(": ");
                    print(field.getValue(), out);
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException(String.valueOf(value));
        }
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
