package io.atrium.router.compose;

/** Composition error codes: Apollo's names (docs "Federation error codes"), so CI tooling can match on them. */
public final class ErrorCode {
    public static final String INVALID_GRAPHQL = "INVALID_GRAPHQL";
    public static final String INVALID_SUBGRAPH_NAME = "INVALID_SUBGRAPH_NAME";
    public static final String INVALID_LINK_DIRECTIVE_USAGE = "INVALID_LINK_DIRECTIVE_USAGE";
    public static final String UNKNOWN_FEDERATION_LINK_VERSION = "UNKNOWN_FEDERATION_LINK_VERSION";
    public static final String NO_QUERIES = "NO_QUERIES";
    public static final String TYPE_KIND_MISMATCH = "TYPE_KIND_MISMATCH";
    public static final String FIELD_TYPE_MISMATCH = "FIELD_TYPE_MISMATCH";
    public static final String FIELD_ARGUMENT_TYPE_MISMATCH = "FIELD_ARGUMENT_TYPE_MISMATCH";
    public static final String FIELD_ARGUMENT_DEFAULT_MISMATCH = "FIELD_ARGUMENT_DEFAULT_MISMATCH";
    public static final String INPUT_FIELD_DEFAULT_MISMATCH = "INPUT_FIELD_DEFAULT_MISMATCH";
    public static final String INVALID_FIELD_SHARING = "INVALID_FIELD_SHARING";
    public static final String EXTERNAL_MISSING_ON_BASE = "EXTERNAL_MISSING_ON_BASE";
    public static final String EXTERNAL_TYPE_MISMATCH = "EXTERNAL_TYPE_MISMATCH";
    public static final String EXTERNAL_UNUSED = "EXTERNAL_UNUSED";
    public static final String EXTERNAL_ON_INTERFACE = "EXTERNAL_ON_INTERFACE";
    public static final String EXTENSION_WITH_NO_BASE = "EXTENSION_WITH_NO_BASE";
    public static final String KEY_FIELDS_SELECT_INVALID_TYPE = "KEY_FIELDS_SELECT_INVALID_TYPE";
    public static final String KEY_FIELDS_HAS_ARGS = "KEY_FIELDS_HAS_ARGS";
    public static final String KEY_INVALID_FIELDS = "KEY_INVALID_FIELDS";
    public static final String KEY_INVALID_FIELDS_TYPE = "KEY_INVALID_FIELDS_TYPE";
    public static final String REQUIRES_INVALID_FIELDS = "REQUIRES_INVALID_FIELDS";
    public static final String REQUIRES_FIELDS_MISSING_EXTERNAL = "REQUIRES_FIELDS_MISSING_EXTERNAL";
    public static final String PROVIDES_INVALID_FIELDS = "PROVIDES_INVALID_FIELDS";
    public static final String PROVIDES_FIELDS_MISSING_EXTERNAL = "PROVIDES_FIELDS_MISSING_EXTERNAL";
    public static final String PROVIDES_ON_NON_OBJECT_FIELD = "PROVIDES_ON_NON_OBJECT_FIELD";
    public static final String ENUM_VALUE_MISMATCH = "ENUM_VALUE_MISMATCH";
    public static final String EMPTY_MERGED_ENUM_TYPE = "EMPTY_MERGED_ENUM_TYPE";
    public static final String EMPTY_MERGED_INPUT_TYPE = "EMPTY_MERGED_INPUT_TYPE";
    public static final String REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH = "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH";
    public static final String REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH = "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH";
    public static final String OVERRIDE_FROM_SELF_ERROR = "OVERRIDE_FROM_SELF_ERROR";
    public static final String OVERRIDE_SOURCE_HAS_OVERRIDE = "OVERRIDE_SOURCE_HAS_OVERRIDE";
    public static final String OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE = "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE";
    public static final String OVERRIDE_LABEL_INVALID = "OVERRIDE_LABEL_INVALID";
    public static final String OVERRIDE_ON_INTERFACE = "OVERRIDE_ON_INTERFACE";
    public static final String INTERFACE_KEY_NOT_ON_IMPLEMENTATION = "INTERFACE_KEY_NOT_ON_IMPLEMENTATION";
    public static final String KEY_DIRECTIVE_IN_FIELDS_ARG = "KEY_DIRECTIVE_IN_FIELDS_ARG";
    public static final String REQUIRES_DIRECTIVE_IN_FIELDS_ARG = "REQUIRES_DIRECTIVE_IN_FIELDS_ARG";
    public static final String PROVIDES_DIRECTIVE_IN_FIELDS_ARG = "PROVIDES_DIRECTIVE_IN_FIELDS_ARG";
    public static final String INVALID_SHAREABLE_USAGE = "INVALID_SHAREABLE_USAGE";
    public static final String ROOT_MUTATION_USED = "ROOT_MUTATION_USED";
    public static final String ROOT_SUBSCRIPTION_USED = "ROOT_SUBSCRIPTION_USED";
    public static final String INTERFACE_FIELD_NO_IMPLEM = "INTERFACE_FIELD_NO_IMPLEM";
    public static final String INTERFACE_OBJECT_USAGE_ERROR = "INTERFACE_OBJECT_USAGE_ERROR";
    public static final String ONLY_INACCESSIBLE_CHILDREN = "ONLY_INACCESSIBLE_CHILDREN";
    public static final String REFERENCED_INACCESSIBLE = "REFERENCED_INACCESSIBLE";
    public static final String CONTEXT_INVALID_SELECTION = "CONTEXT_INVALID_SELECTION";
    public static final String NO_CONTEXT_IN_SELECTION = "NO_CONTEXT_IN_SELECTION";
    public static final String CONTEXT_NOT_SET = "CONTEXT_NOT_SET";
    public static final String ROOT_QUERY_USED = "ROOT_QUERY_USED";
    public static final String SATISFIABILITY_ERROR = "SATISFIABILITY_ERROR";
    /** Ours: the composed SDL is not a supergraph the router can serve (e.g. a SECURITY feature it lacks). */
    public static final String SUPERGRAPH_NOT_SERVABLE = "SUPERGRAPH_NOT_SERVABLE";

    private ErrorCode() {
    }
}
