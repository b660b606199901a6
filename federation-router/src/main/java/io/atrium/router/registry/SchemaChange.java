package io.atrium.router.registry;

/**
 * One change of the API schema between two supergraphs.
 *
 * @param level      how it affects clients
 * @param category   graphql-java's diff category ({@code MISSING}, {@code STRICTER}, {@code INVALID}, …)
 * @param coordinate the schema coordinate it concerns ({@code Type} or {@code Type.field})
 * @param message    what changed
 */
public record SchemaChange(Level level, String category, String coordinate, String message) {

    public enum Level {
        /** Existing clients may fail (a removed field, a new required argument, an output made nullable, …). */
        BREAKING,
        /** Existing clients keep validating but may behave differently (e.g. a new enum value, a new union member). */
        DANGEROUS,
        /** Additions nothing can notice. */
        SAFE
    }
}
