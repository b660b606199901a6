package io.atrium.router.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry CLI against a real admin listener: what a CI job sees (output and exit codes). */
class RegistryCliIT {
    private static final String TOKEN = "cli-token";
    private static final String LINK = "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.7\", "
            + "import: [\"@key\"])\n";

    @TempDir
    Path dir;
    private RegistryAdminServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        server = RegistryAdminServer.start("127.0.0.1", 0, new RegistryAdminApi(
                new SubgraphRegistry(new FileRegistryStore(dir.resolve("store")), Clock.systemUTC()), TOKEN));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String token, String... args) {
        out.reset();
        err.reset();
        Map<String, String> env = token == null ? Map.of("ATRIUM_ACTOR", "ci")
                : Map.of("ATRIUM_ROUTER_ADMIN_TOKEN", token, "ATRIUM_ACTOR", "ci");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--admin-url";
        all[args.length + 1] = "http://127.0.0.1:" + server.port();
        return new RegistryCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(all);
    }

    private Path schema(String name, String sdl) throws Exception {
        return Files.writeString(dir.resolve(name + ".graphql"), LINK + sdl);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void publishCheckAndFetchWithExitCodes() throws Exception {
        Path v1 = schema("v1", "type Query { products: [Product] } type Product @key(fields: \"id\") { id: ID! price: Int }");
        Path removal = schema("v2", "type Query { products: [Product] } type Product @key(fields: \"id\") { id: ID! }");
        Path clash = schema("reviews", "type Product @key(fields: \"id\") { id: ID! price: String }");

        assertThat(run(TOKEN, "subgraph", "publish", "--name", "products", "--routing-url", "http://p:4003/graphql",
                "--schema", v1.toString())).isZero();
        assertThat(out()).startsWith("publish products: applied, registry version 1, supergraph ");

        assertThat(run(TOKEN, "subgraph", "check", "--name", "products", "--routing-url", "http://p:4003/graphql",
                "--schema", removal.toString())).isEqualTo(RegistryCli.REFUSED);
        assertThat(out()).startsWith("check products: FAILED").contains("BREAKING  Product.price");
        assertThat(run(TOKEN, "subgraph", "check", "--name", "products", "--routing-url", "http://p:4003/graphql",
                "--schema", removal.toString(), "--allow-breaking")).isZero();
        assertThat(out()).startsWith("check products: PASSED");

        assertThat(run(TOKEN, "subgraph", "publish", "--name", "reviews", "--routing-url", "http://r:4004/graphql",
                "--schema", clash.toString())).isEqualTo(RegistryCli.REFUSED);
        assertThat(err()).contains("COMPOSITION_FAILED").contains("[FIELD_TYPE_MISMATCH] reviews");

        assertThat(run(TOKEN, "subgraph", "fetch")).isZero();
        assertThat(out()).contains("@join__graph(name: \"products\", url: \"http://p:4003/graphql\")");
        assertThat(run(TOKEN, "subgraph", "list", "--json")).isZero();
        assertThat(out()).contains("\"name\":\"products\"").contains("\"published_by\":\"ci\"");
        assertThat(run(TOKEN, "subgraph", "history")).isZero();
        assertThat(out()).contains("v1").contains("publish products  by ci");
    }

    @Test
    void usageTokenAndReachabilityHaveTheirOwnExitCodes() {
        assertThat(run(TOKEN, "subgraph", "publish", "--name", "products")).isEqualTo(RegistryCli.USAGE);
        assertThat(err()).contains("--routing-url is required");
        assertThat(run(TOKEN, "subgraph", "delete", "--name", "../etc")).isEqualTo(RegistryCli.USAGE);
        assertThat(run(null, "subgraph", "list")).isEqualTo(RegistryCli.USAGE);
        assertThat(err()).contains("ATRIUM_ROUTER_ADMIN_TOKEN");
        assertThat(run("wrong", "subgraph", "list")).isEqualTo(RegistryCli.UNREACHABLE);
        assertThat(err()).contains("refused the token");
        server.close();
        assertThat(run(TOKEN, "subgraph", "list")).isEqualTo(RegistryCli.UNREACHABLE);
        assertThat(err()).contains("cannot reach the registry");
    }
}
