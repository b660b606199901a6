package io.atrium.router.compose.internal;

import io.atrium.router.compose.CompositionError;
import io.atrium.router.compose.ErrorCode;
import io.atrium.router.compose.SubgraphSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The composition pipeline up to the printed supergraph: subgraph names, parse and {@code @link}, per-subgraph
 * rules, merge, print. Each stage runs only when the previous one found no errors.
 */
public final class Composition {
    /** Either {@code sdl} or a non-empty {@code errors}. */
    public record Output(String sdl, List<CompositionError> errors) {
    }

    private Composition() {
    }

    public static Output run(List<SubgraphSource> sources) {
        List<CompositionError> errors = new ArrayList<>();
        List<SubgraphSource> sorted = new ArrayList<>(sources);
        sorted.sort(Comparator.comparing(SubgraphSource::name));
        Set<String> seen = new HashSet<>();
        Set<String> enums = new HashSet<>();
        List<SubgraphModel> models = new ArrayList<>();
        for (SubgraphSource source : sorted) {
            if (source.name().isBlank() || !seen.add(source.name())) {
                errors.add(new CompositionError(ErrorCode.INVALID_SUBGRAPH_NAME, "A subgraph name must be non-empty"
                        + " and unique; \"" + source.name() + "\" is " + (source.name().isBlank() ? "empty" : "repeated"),
                        source.name(), 0, 0));
                continue;
            }
            SubgraphModel model = SubgraphParser.parse(source.name(), source.routingUrl(),
                    graphEnum(source.name(), enums), source.sdl(), errors);
            if (model != null) {
                models.add(model);
            }
        }
        if (!errors.isEmpty()) {
            return new Output(null, errors);
        }
        for (SubgraphModel model : models) {
            SubgraphValidator.validate(model, errors);
        }
        if (!errors.isEmpty()) {
            return new Output(null, errors);
        }
        MergedSchema merged = Merger.merge(models, errors);
        if (!errors.isEmpty()) {
            return new Output(null, errors);
        }
        int minor = 0;
        for (SubgraphModel model : models) {
            minor = Math.max(minor, model.fedMinor);
        }
        merged.joinMinor = minor >= 8 ? 5 : minor == 7 ? 4 : 3;
        if (ConnectDirectives.carried(merged)) {
            merged.joinMinor = 5; // @join__directive
        }
        return new Output(Printer.print(merged), List.of());
    }

    /**
     * The {@code join__Graph} value of a subgraph name: non-word characters become '_', a leading digit gets a '_'
     * in front, upper case; a name that would repeat another gets {@code _1}, {@code _2}, …
     */
    static String graphEnum(String name, Set<String> taken) {
        String base = name.replaceAll("\\W", "_").toUpperCase(Locale.ROOT);
        if (!base.isEmpty() && Character.isDigit(base.charAt(0))) {
            base = "_" + base;
        }
        if (base.matches(".*_\\d+$")) {
            base = base + "_";
        }
        String candidate = base;
        for (int i = 1; !taken.add(candidate); i++) {
            candidate = base + "_" + i;
        }
        return candidate;
    }
}
