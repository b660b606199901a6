// Times Atrium's composer over the generated subgraphs, in this process: the first run, then <rounds> more.
// Prints one JSON line like compose.mjs. Run: java -cp federation-router.jar ComposeTiming.java <dir> <rounds>
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

public class ComposeTiming {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".graphql"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))))
                    .toList();
        }
        List<SubgraphSource> sources = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString().replace(".graphql", "");
            sources.add(new SubgraphSource(name, "http://" + name + ".invalid/graphql", Files.readString(file)));
        }
        List<Double> times = new ArrayList<>();
        CompositionResult last = null;
        for (int i = 0; i <= rounds; i++) {
            long start = System.nanoTime();
            last = Composer.compose(sources);
            times.add((System.nanoTime() - start) / 1e6);
        }
        String errors = "null";
        int types = 0;
        if (last instanceof CompositionResult.Failed failed) {
            errors = "[\"" + failed.errors().getFirst().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        } else if (last instanceof CompositionResult.Composed composed) {
            types = (int) composed.supergraphSdl().lines()
                    .filter(l -> l.matches("^(type|interface|union|enum|input|scalar) .*")).count();
        }
        StringBuilder rest = new StringBuilder();
        for (int i = 1; i < times.size(); i++) {
            rest.append(i > 1 ? "," : "").append(String.format("%.1f", times.get(i)));
        }
        System.out.printf("{\"impl\":\"atrium\",\"first\":%.1f,\"times\":[%s],\"types\":%d,\"errors\":%s}%n",
                times.getFirst(), rest, types, errors);
    }
}
