package io.atrium.router.compose.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * How one subgraph spells the federation directives: imported names (possibly renamed with {@code as}), the
 * {@code federation__x} (or {@code <as>__x}) names of those not imported, and Federation 1's bare names.
 */
public final class FederationNames {
    /** Canonical federation directive → the federation 2 minor version that introduced it. */
    static final Map<String, Integer> DIRECTIVES = Map.ofEntries(
            Map.entry("key", 0), Map.entry("requires", 0), Map.entry("provides", 0), Map.entry("external", 0),
            Map.entry("tag", 0), Map.entry("extends", 0), Map.entry("shareable", 0), Map.entry("inaccessible", 0),
            Map.entry("override", 0), Map.entry("composeDirective", 1), Map.entry("interfaceObject", 3),
            Map.entry("authenticated", 5), Map.entry("requiresScopes", 5), Map.entry("policy", 6),
            Map.entry("context", 8), Map.entry("fromContext", 8), Map.entry("cost", 9), Map.entry("listSize", 9));

    private final Map<String, String> localToCanonical;

    private FederationNames(Map<String, String> localToCanonical) {
        this.localToCanonical = localToCanonical;
    }

    /** Federation 1: the directives under their own names. */
    static FederationNames fed1() {
        Map<String, String> map = new HashMap<>();
        for (String name : DIRECTIVES.keySet()) {
            map.put(name, name);
        }
        return new FederationNames(map);
    }

    /**
     * @param prefix  the link's name ({@code as}, default "federation")
     * @param imports canonical name → local name for imported directives
     * @param others  local → canonical for directives of other linked specs (inaccessible, tag, …)
     */
    static FederationNames fed2(String prefix, int minor, Map<String, String> imports, Map<String, String> others) {
        Map<String, String> map = new HashMap<>(others);
        for (Map.Entry<String, Integer> entry : DIRECTIVES.entrySet()) {
            if (entry.getValue() > minor) {
                continue;
            }
            String canonical = entry.getKey();
            map.put(prefix + "__" + canonical, canonical);
            String local = imports.get(canonical);
            if (local != null) {
                map.put(local, canonical);
            }
        }
        return new FederationNames(map);
    }

    /** The canonical federation name of directive {@code local} (without '@'), or null when it is not one. */
    public String canonical(String local) {
        return localToCanonical.get(local);
    }
}
