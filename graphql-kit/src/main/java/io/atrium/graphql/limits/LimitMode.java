package io.atrium.graphql.limits;

/** What a breached limit does: refuse the operation, or log and count it and run it anyway. */
public enum LimitMode { ENFORCE, WARN }
