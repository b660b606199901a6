package io.atrium.router.connector.grpc;

import io.atrium.router.config.GrpcTls;
import io.atrium.router.transcode.GrpcChannels;
import io.atrium.router.transcode.ProtoSchema;
import io.atrium.router.transcode.ReflectionClient;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./atrium connector grpc (--descriptor-set FILE | --reflection HOST:PORT [TLS]) --config CONNECTOR.yaml
 * [--out FILE]}: writes the generated subgraph SDL (stdout by default) for review and publishing; methods left out are
 * listed on stderr. Reflection is plaintext (h2c) unless a TLS option is given: {@code --tls} (the JDK's trust
 * store), {@code --ca-file}, {@code --cert-file}/{@code --key-file} (mTLS), {@code --server-name} — the router's
 * {@code tls:} block ({@link GrpcTls}) as options. Exit codes: 0 written, 1 the descriptors or config do not fit (or
 * the server could not be reached), 2 usage.
 */
public final class GrpcConnectorCommand {
    private static final String USAGE = """
            usage: ./atrium connector grpc (--descriptor-set <file|classpath:res> | --reflection <host:port> [tls])
                                           --config <connector.yaml> [--out <file.graphql>]
              tls (reflection over TLS; default plaintext h2c): --tls | --ca-file <pem> [--cert-file <pem> --key-file <pem>]
                                                               [--server-name <name>]
            """;

    private GrpcConnectorCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String descriptorSet = null;
        String reflection = null;
        String config = null;
        String output = null;
        boolean tlsOn = false;
        Map<String, Object> tls = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length && !args[i].equals("--help") && !args[i].equals("--tls")) {
                err.print(args[i] + " needs a value\n" + USAGE);
                return 2;
            }
            switch (args[i]) {
                case "--descriptor-set" -> descriptorSet = args[++i];
                case "--reflection" -> reflection = args[++i];
                case "--config" -> config = args[++i];
                case "--out" -> output = args[++i];
                case "--tls" -> tlsOn = true;
                case "--ca-file" -> tls.put("ca_file", args[++i]);
                case "--cert-file" -> tls.put("cert_file", args[++i]);
                case "--key-file" -> tls.put("key_file", args[++i]);
                case "--server-name" -> tls.put("server_name", args[++i]);
                case "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    err.print("unknown argument '" + args[i] + "'\n" + USAGE);
                    return 2;
                }
            }
        }
        if ((descriptorSet == null) == (reflection == null) || config == null
                || descriptorSet != null && (tlsOn || !tls.isEmpty())) {
            err.print(USAGE);
            return 2;
        }
        try {
            GrpcTls settings = tlsOn || !tls.isEmpty() ? GrpcTls.parse(tls, "tls", Path.of("")) : null;
            ProtoSchema schema = descriptorSet != null ? ProtoSchema.load(descriptorSet) : reflect(reflection, settings);
            GrpcSubgraphGenerator.Result result = GrpcSubgraphGenerator.generate(schema,
                    GrpcConnectorConfig.load(Path.of(config)));
            for (String left : result.leftOut()) {
                err.println("left out: " + left);
            }
            if (output == null) {
                out.print(result.sdl());
            } else {
                Files.writeString(Path.of(output), result.sdl());
                err.println("wrote " + output);
            }
            return 0;
        } catch (RuntimeException | IOException e) {
            err.println("atrium connector grpc: " + e.getMessage());
            return 1;
        }
    }

    /** The server's descriptors by reflection, over TLS when {@code tls} is given (as the router's channels are). */
    private static ProtoSchema reflect(String target, GrpcTls tls) {
        ManagedChannel channel = GrpcChannels.open(target, tls, false);
        try {
            return ProtoSchema.of(new ReflectionClient(channel, 10_000).files());
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
