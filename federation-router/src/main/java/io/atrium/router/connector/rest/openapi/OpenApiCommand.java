package io.atrium.router.connector.rest.openapi;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./atrium connector openapi SPEC [--source NAME] [--base-url URL] [--out FILE]}: prints (or writes) the
 * {@code @connect} subgraph SDL generated from an OpenAPI 3.0/3.1 document (a file or an http(s) URL). Exit codes:
 * 0 written, 1 the document does not parse, 2 usage.
 */
public final class OpenApiCommand {

    private OpenApiCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String spec = null;
        String source = OpenApiGenerator.Options.DEFAULTS.sourceName();
        String baseUrl = null;
        Path target = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--source" -> source = ++i < args.length ? args[i] : null;
                case "--base-url" -> baseUrl = ++i < args.length ? args[i] : null;
                case "--out" -> target = ++i < args.length ? Path.of(args[i]) : null;
                case "--help", "-h" -> {
                    out.println(usage());
                    return 0;
                }
                default -> spec = args[i].startsWith("-") ? null : args[i];
            }
        }
        if (spec == null || source == null) {
            err.println(usage());
            return 2;
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readLocation(spec, null, options);
        if (result.getOpenAPI() == null) {
            err.println("openapi: " + spec + " is not an OpenAPI 3.0/3.1 document: " + result.getMessages());
            return 1;
        }
        String sdl = OpenApiGenerator.generate(result.getOpenAPI(), new OpenApiGenerator.Options(source, baseUrl));
        if (target == null) {
            out.print(sdl);
            return 0;
        }
        try {
            Files.writeString(target, sdl);
        } catch (IOException e) {
            err.println("openapi: cannot write " + target + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static String usage() {
        return "usage: ./atrium connector openapi SPEC [--source NAME] [--base-url URL] [--out FILE]\n"
                + "  SPEC        an OpenAPI 3.0/3.1 document: a file or an http(s) URL\n"
                + "  --source    the @source name (default api)\n"
                + "  --base-url  the @source base URL (default: the document's first server)\n"
                + "  --out       write the SDL to FILE instead of standard output";
    }
}
