package io.atrium.router.compose.internal;

import graphql.language.Directive;
import graphql.language.SourceLocation;
import graphql.language.Type;
import graphql.language.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One subgraph after parsing: its types with definitions and extensions folded together, federation directives
 * resolved to their canonical names (whatever {@code @link} renamed them to), federation machinery removed.
 * Mutable while the parser and the Fed 1 upgrade work on it, then only read.
 */
public final class SubgraphModel {
    public final String name;
    public final String url;
    public final String graphEnum;
    /** Federation 1 (no {@code @link} to the federation spec). */
    public final boolean fed1;
    /** Federation minor version of the {@code @link} (2.x), or 0 for Federation 1. */
    public final int fedMinor;
    public final Map<String, TypeDef> types = new LinkedHashMap<>();
    /** Canonical root name (Query/Mutation/Subscription) → the subgraph's own root type name. */
    public final Map<String, String> roots = new LinkedHashMap<>();
    /** Directive names the subgraph asks to keep in the supergraph ({@code @composeDirective}), without '@'. */
    public final List<String> composeDirectives = new ArrayList<>();
    /** Custom directive definitions (not federation's, not built-in), by name. */
    public final Map<String, graphql.language.DirectiveDefinition> directiveDefinitions = new LinkedHashMap<>();
    /** Directive name → URL of the non-federation {@code @link} that brings it. */
    public final Map<String, String> linkOfDirective = new LinkedHashMap<>();
    /** The {@code @link} to Apollo's connect spec, or null: the subgraph uses connectors ({@code @source}/{@code @connect}). */
    public graphql.language.Directive connectLink;
    /** The connect spec's directives on the schema ({@code @source}), carried as {@code @join__directive}. */
    public final List<graphql.language.Directive> connectSchemaDirectives = new ArrayList<>();
    /**
     * Atrium's gRPC subgraph snapshot ({@code @grpcSource(target:, descriptorHash:)} on the schema of a subgraph that
     * defines it, as {@code ./atrium connector grpc} writes it), carried as {@code @join__directive}; or null.
     */
    public graphql.language.Directive grpcSource;
    public final FederationNames names;
    /** {@code Type.field} coordinates selected by this subgraph's keys, requires and provides (found by validation). */
    public final Set<String> keyFields = new java.util.HashSet<>();
    public final Set<String> requiredFields = new java.util.HashSet<>();
    public final Set<String> providedFields = new java.util.HashSet<>();

    SubgraphModel(String name, String url, String graphEnum, boolean fed1, int fedMinor, FederationNames names) {
        this.name = name;
        this.url = url;
        this.graphEnum = graphEnum;
        this.fed1 = fed1;
        this.fedMinor = fedMinor;
        this.names = names;
    }

    public TypeDef type(String typeName) {
        return types.get(typeName);
    }

    public FieldDef field(String typeName, String fieldName) {
        TypeDef type = types.get(typeName);
        return type == null ? null : type.fields.get(fieldName);
    }

    public enum Kind { OBJECT, INTERFACE, UNION, ENUM, INPUT_OBJECT, SCALAR }

    /** A @key as written, parsed. */
    public record Key(String fields, FieldSet selection, boolean resolvable, SourceLocation location) {
    }

    /** Directives carried into the supergraph as they are (auth, cost, composed custom directives). */
    public record Applied(String name, Directive directive) {
    }

    public static final class TypeDef {
        public final String name;
        public Kind kind;
        public SourceLocation location;
        public String description;
        /** Every definition of the type in this subgraph is an {@code extend type}. */
        public boolean extension = true;
        public boolean extendsDirective;
        public boolean shareable;
        public boolean interfaceObject;
        public boolean inaccessible;
        public final List<Key> keys = new ArrayList<>();
        public final Set<String> tags = new LinkedHashSet<>();
        public final List<String> contexts = new ArrayList<>();
        public final List<Applied> applied = new ArrayList<>();
        public final Map<String, FieldDef> fields = new LinkedHashMap<>();
        public final List<String> interfaces = new ArrayList<>();
        public final List<String> members = new ArrayList<>();
        public final Map<String, EnumValueDef> values = new LinkedHashMap<>();

        TypeDef(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        public boolean isEntity() {
            return !keys.isEmpty();
        }

        public boolean hasResolvableKey() {
            for (Key key : keys) {
                if (key.resolvable()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A field of an object or interface, or an input field (then {@link #defaultValue} may be set). */
    public static final class FieldDef {
        public final String name;
        public final Type<?> type;
        public final SourceLocation location;
        public String description;
        public boolean external;
        public boolean shareable;
        public boolean inaccessible;
        /** Null when not deprecated; "" for {@code @deprecated} without reason is stored as the default reason. */
        public String deprecation;
        public String requires;
        public String provides;
        public String overrideFrom;
        public String overrideLabel;
        public Value<?> defaultValue;
        public final Set<String> tags = new LinkedHashSet<>();
        public final List<Applied> applied = new ArrayList<>();
        public final Map<String, ArgDef> args = new LinkedHashMap<>();

        FieldDef(String name, Type<?> type, SourceLocation location) {
            this.name = name;
            this.type = type;
            this.location = location;
        }
    }

    public static final class ArgDef {
        public final String name;
        public final Type<?> type;
        public final Value<?> defaultValue;
        public final SourceLocation location;
        public String description;
        public boolean inaccessible;
        public String deprecation;
        /** The {@code @fromContext(field:)} value, or null. */
        public String fromContext;
        public final Set<String> tags = new LinkedHashSet<>();
        public final List<Applied> applied = new ArrayList<>();

        ArgDef(String name, Type<?> type, Value<?> defaultValue, SourceLocation location) {
            this.name = name;
            this.type = type;
            this.defaultValue = defaultValue;
            this.location = location;
        }
    }

    public static final class EnumValueDef {
        public final String name;
        public String description;
        public boolean inaccessible;
        public String deprecation;
        public final Set<String> tags = new LinkedHashSet<>();
        public final List<Applied> applied = new ArrayList<>();

        EnumValueDef(String name) {
            this.name = name;
        }
    }
}
