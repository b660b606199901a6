package io.atrium.router.compose.internal;

import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.Type;
import graphql.language.TypeName;

/** Small helpers over type references. */
final class TypeNames {
    private TypeNames() {
    }

    static String named(Type<?> type) {
        return switch (type) {
            case NonNullType nn -> named(nn.getType());
            case ListType list -> named(list.getType());
            case TypeName name -> name.getName();
            default -> throw new IllegalArgumentException(String.valueOf(type));
        };
    }

    static String print(Type<?> type) {
        return switch (type) {
            case NonNullType nn -> print(nn.getType()) + "!";
            case ListType list -> "[" + print(list.getType()) + "]";
            case TypeName name -> name.getName();
            default -> throw new IllegalArgumentException(String.valueOf(type));
        };
    }

    static boolean isNonNull(Type<?> type) {
        return type instanceof NonNullType;
    }

    static Type<?> nullable(Type<?> type) {
        return type instanceof NonNullType nn ? nn.getType() : type;
    }
}
