package io.atrium.router.supergraph;

public enum TypeKind {
    OBJECT, INTERFACE, UNION, ENUM, INPUT_OBJECT, SCALAR;

    public boolean isAbstract() {
        return this == INTERFACE || this == UNION;
    }

    public boolean isComposite() {
        return this == OBJECT || this == INTERFACE || this == UNION;
    }
}
