package io.atrium.router.connector.grpc;

import io.atrium.router.transcode.ProtoSchema;
import io.atrium.router.transcode.ReflectionClient;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./atrium connector grpc (--descriptor-set FILE | --reflection HOST:PORT) --config CONNECTOR.yaml [--out FILE]}:
 * writes the generated subgraph SDL (stdout by default) for review and publishing; methods left out are listed on
 * stderr. Exit codes: 0 written, 1 the descriptors or config do not fit, 2 usage.
 */
public final class GrpcConnectorCommand {
    private static final String USAGE = """
            usage: ./atrium connector grpc (--descriptor-set <file|classpath:res> | --reflection <host:port>)
                                           --config <connector.yaml> [--out <file.graphql>]
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
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length && !args[i].equals("--help")) {
                err.print(args[i] + " needs a value\n" + USAGE);
                return 2;
            }
            switch (args[i]) {
                case "--descriptor-set" -> descriptorSet = args[++i];
                case "--reflection" -> reflection = args[++i];
                case "--config" -> config = args[++i];
                case "--out" -> output = args[++i];
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
        if ((descriptorSet == null) == (reflection == null) || config == null) {
            err.print(USAGE);
            return 2;
        }
        try {
            ProtoSchema schema = descriptorSet != null ? ProtoSchema.load(descriptorSet) : reflect(reflection);
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

    private static ProtoSchema reflect(String target) {
        ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
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
