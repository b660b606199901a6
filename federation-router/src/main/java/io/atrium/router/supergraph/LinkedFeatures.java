package io.atrium.router.supergraph;

import graphql.language.ArrayValue;
import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.EnumValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The features a supergraph links with {@code @link(url:, as:, import:, for:)} and the local names of their elements.
 */
final class LinkedFeatures {
    static final String LINK = "https://specs.apollo.dev/link";
    static final String JOIN = "https://specs.apollo.dev/join";
    static final String INACCESSIBLE = "https://specs.apollo.dev/inaccessible";
    static final String TAG = "https://specs.apollo.dev/tag";
    static final String CONTEXT = "https://specs.apollo.dev/context";
    /** Apollo Connectors; served by {@code io.atrium.router.connector.rest.RestConnectorProvider}. */
    static final String CONNECT = "https://specs.apollo.dev/connect";

    /** Features whose meaning we implement (or that carry no runtime semantics for a router). */
    // authenticated, requiresScopes, policy (for: SECURITY) are enforced by graphql-kit's Authorization before planning
    private static final Set<String> SUPPORTED = Set.of(LINK, JOIN, INACCESSIBLE, TAG, CONTEXT, CONNECT,
            "https://specs.apollo.dev/authenticated", "https://specs.apollo.dev/requiresScopes", "https://specs.apollo.dev/policy");
    private static final Set<String> SUPPORTED_JOIN_VERSIONS = Set.of("v0.2", "v0.3", "v0.4", "v0.5");

    record Feature(String identity, String version, String name, Map<String, String> imports, String purpose) {
    }

    private final Map<String, Feature> byIdentity = new HashMap<>();
    private final Set<String> featureDirectiveNames = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    LinkedFeatures(List<Directive> linkDirectives) {
        for (Directive link : linkDirectives) {
            Feature feature = parse(link);
            byIdentity.put(feature.identity(), feature);
            prefixes.add(feature.name() + "__");
            featureDirectiveNames.add(feature.name());
            featureDirectiveNames.addAll(feature.imports().values());
        }
        Feature join = byIdentity.get(JOIN);
        if (join == null) {
            throw new SupergraphException("not a supergraph: it does not @link the join spec (" + JOIN + "/v0.x)");
        }
        if (!SUPPORTED_JOIN_VERSIONS.contains(join.version())) {
            throw new SupergraphException("join spec " + join.version() + " is not supported; supported: v0.2 to v0.5");
        }
        for (Feature feature : byIdentity.values()) {
            boolean mustUnderstand = "SECURITY".equals(feature.purpose()) || "EXECUTION".equals(feature.purpose());
            if (mustUnderstand && !SUPPORTED.contains(feature.identity())) {
                throw new SupergraphException("the supergraph links " + feature.identity() + "/" + feature.version()
                        + " for " + feature.purpose() + ", which this router does not implement; refusing to serve it");
            }
        }
    }

    private static Feature parse(Directive link) {
        String url = stringArg(link, "url");
        if (url == null) {
            throw new SupergraphException("@link without url");
        }
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        int slash = trimmed.lastIndexOf('/');
        String version = trimmed.substring(slash + 1);
        String identity = trimmed.substring(0, slash);
        String defaultName = identity.substring(identity.lastIndexOf('/') + 1);
        String as = stringArg(link, "as");
        String name = as != null ? as : defaultName;
        Map<String, String> imports = new HashMap<>();
        Argument importArg = link.getArgument("import");
        if (importArg != null && importArg.getValue() instanceof ArrayValue array) {
            for (Value<?> value : array.getValues()) {
                if (value instanceof StringValue s) {
                    imports.put(s.getValue(), s.getValue());
                } else if (value instanceof ObjectValue object) {
                    String importName = null;
                    String importAs = null;
                    for (ObjectField field : object.getObjectFields()) {
                        if (field.getValue() instanceof StringValue s && field.getName().equals("name")) {
                            importName = s.getValue();
                        } else if (field.getValue() instanceof StringValue s && field.getName().equals("as")) {
                            importAs = s.getValue();
                        }
                    }
                    if (importName != null) {
                        imports.put(importName, importAs != null ? importAs : importName);
                    }
                }
            }
        }
        Map<String, String> directiveImports = new HashMap<>();
        imports.forEach((k, v) -> directiveImports.put(strip(k), strip(v)));
        Argument forArg = link.getArgument("for");
        String purpose = forArg != null && forArg.getValue() instanceof EnumValue e ? e.getName() : null;
        return new Feature(identity, version, name, directiveImports, purpose);
    }

    private static String strip(String name) {
        return name.startsWith("@") ? name.substring(1) : name;
    }

    static String stringArg(Directive directive, String name) {
        Argument argument = directive.getArgument(name);
        if (argument != null && argument.getValue() instanceof StringValue s) {
            return s.getValue();
        }
        return null;
    }

    boolean has(String identity) {
        return byIdentity.containsKey(identity);
    }

    /** The local name of element {@code element} (directive or type, without '@') of a linked feature, or null. */
    String localName(String identity, String element) {
        Feature feature = byIdentity.get(identity);
        if (feature == null) {
            return null;
        }
        String imported = feature.imports().get(element);
        if (imported != null) {
            return imported;
        }
        String defaultName = identity.substring(identity.lastIndexOf('/') + 1);
        if (element.equals(defaultName)) {
            return feature.name();
        }
        return feature.name() + "__" + element;
    }

    /** True when a directive or type name belongs to a linked feature (and so is not part of the API schema). */
    boolean isFeatureElement(String name) {
        if (featureDirectiveNames.contains(name)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return "link".equals(name) || "core".equals(name);
    }
}
