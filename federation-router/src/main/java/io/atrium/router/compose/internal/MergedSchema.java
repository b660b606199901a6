package io.atrium.router.compose.internal;

import io.atrium.router.compose.internal.SubgraphModel.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The composed graph ready to print: per type and field the supergraph shape plus the join/feature directives,
 * already rendered as text in the order they are printed.
 */
public final class MergedSchema {
    public final List<SubgraphModel> subgraphs;
    public final Map<String, MType> types = new LinkedHashMap<>();
    /** Join spec minor version: 3, 4 or 5. */
    public int joinMinor = 3;
    /** Features used by the composed graph (inaccessible, tag, context, authenticated, …). */
    public final TreeSet<String> features = new TreeSet<>();
    public final Map<String, String> customDirectiveDefinitions = new LinkedHashMap<>();
    /** {@code @link}s of the specs that {@code @composeDirective} directives come from, printed on the schema. */
    public final java.util.Set<String> customLinks = new java.util.LinkedHashSet<>();
    public boolean hasMutation;
    public boolean hasSubscription;

    MergedSchema(List<SubgraphModel> subgraphs) {
        this.subgraphs = subgraphs;
    }

    public static final class MType {
        public final String name;
        public final Kind kind;
        public String description;
        public final List<String> implementz = new ArrayList<>();
        public final List<String> directives = new ArrayList<>();
        public final Map<String, MField> fields = new LinkedHashMap<>();
        public final List<String> members = new ArrayList<>();
        public final Map<String, MValue> values = new LinkedHashMap<>();

        MType(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }
    }

    /** A field or input field; {@code defaultValue} is printed text or null. */
    public static final class MField {
        public final String name;
        public String type;
        public String description;
        public String defaultValue;
        public final List<MArg> args = new ArrayList<>();
        public final List<String> directives = new ArrayList<>();

        MField(String name, String type) {
            this.name = name;
            this.type = type;
        }
    }

    public static final class MArg {
        public final String name;
        public final String type;
        public final String defaultValue;
        public String description;
        public final List<String> directives = new ArrayList<>();

        MArg(String name, String type, String defaultValue) {
            this.name = name;
            this.type = type;
            this.defaultValue = defaultValue;
        }
    }

    public static final class MValue {
        public final String name;
        public String description;
        public final List<String> directives = new ArrayList<>();

        MValue(String name) {
            this.name = name;
        }
    }
}
