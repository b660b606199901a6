package io.atrium.router.supergraph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named type of the supergraph with the subgraphs that define it.
 *
 * @param graphs        subgraph enum value → how that subgraph defines the type
 * @param fields        fields (object, interface, input object) in supergraph order
 * @param implementsIn  subgraph enum value → interfaces this type implements there
 * @param membersIn     for unions: subgraph enum value → member types there
 * @param members       for unions: all member types; for interfaces: all implementing object types
 * @param enumValuesIn  for enums: value → subgraphs that define it
 * @param contexts      names of the {@code @context}s this type sets (join v0.5 contexts)
 */
public record TypeMeta(
        String name,
        TypeKind kind,
        Map<String, TypeInGraph> graphs,
        Map<String, FieldMeta> fields,
        List<String> interfaces,
        Map<String, Set<String>> implementsIn,
        Map<String, Set<String>> membersIn,
        List<String> members,
        Map<String, Set<String>> enumValuesIn,
        boolean inaccessible,
        Set<String> contexts) {

    public TypeMeta {
        graphs = Collections.unmodifiableMap(new LinkedHashMap<>(graphs));
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        interfaces = List.copyOf(interfaces);
        implementsIn = Map.copyOf(implementsIn);
        membersIn = Map.copyOf(membersIn);
        members = List.copyOf(members);
        enumValuesIn = Map.copyOf(enumValuesIn);
        contexts = contexts == null ? Set.of() : Set.copyOf(contexts);
    }

    public boolean definedIn(String graph) {
        return graphs.containsKey(graph);
    }

    public FieldMeta field(String fieldName) {
        return fields.get(fieldName);
    }

    public boolean isInterfaceObjectIn(String graph) {
        TypeInGraph in = graphs.get(graph);
        return in != null && in.interfaceObject();
    }
}
