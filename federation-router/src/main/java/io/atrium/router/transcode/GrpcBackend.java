package io.atrium.router.transcode;

import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One gRPC backend: its channels (plaintext, TLS or mTLS; one per event loop of the transcoder, so a request is
 * called and answered on the loop of its HTTP connection) and its routes as loaded from the descriptor set or server
 * reflection, with the rules of the service config laid over the annotations. {@link #load()} reads everything again;
 * the caller decides whether the result differs ({@link Loaded#fingerprint()}).
 */
final class GrpcBackend implements AutoCloseable {
    private final String name;
    private final TranscodingConfig.Backend config;
    /** Per event loop of the transcoder's group, the channel whose transports run on it. */
    private final Map<EventExecutor, ManagedChannel> channels = new IdentityHashMap<>();
    private final ManagedChannel first;

    /**
     * @param schema      the descriptors
     * @param routes      every binding of every exposed method
     * @param json        proto3 JSON with this schema's types
     * @param fingerprint descriptor hash + service config hash: equal fingerprints, equal routes
     */
    record Loaded(ProtoSchema schema, List<Route> routes, ProtoJson json, String fingerprint) {
    }

    /** @param loops the transcoder's event loops (its HTTP connections run on them) */
    GrpcBackend(String name, TranscodingConfig.Backend config, EventLoopGroup loops,
                Class<? extends SocketChannel> channelType) {
        this.name = name;
        this.config = config;
        ManagedChannel any = null;
        try {
            for (EventExecutor loop : loops) {
                ManagedChannel channel = GrpcChannels.openOn(config.target(), config.tls(), (EventLoop) loop, channelType);
                channels.put(loop, channel);
                any = any == null ? channel : any;
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.first = any;
    }

    String name() {
        return name;
    }

    TranscodingConfig.Backend config() {
        return config;
    }

    /** The channel on the given loop (the caller's), or any channel for a caller outside the group. */
    ManagedChannel channel(EventExecutor loop) {
        ManagedChannel channel = channels.get(loop);
        return channel == null ? first : channel;
    }

    /** @throws RuntimeException with a message naming the backend when the schema or a rule does not load */
    Loaded load() {
        ProtoSchema schema = schema();
        String serviceConfigHash = "";
        Map<String, HttpRule> overrides = Map.of();
        if (config.serviceConfig() != null) {
            overrides = ServiceConfigRules.load(config.serviceConfig());
            serviceConfigHash = sha256(readAll(config.serviceConfig()));
        }
        for (String selector : overrides.keySet()) {
            if (schema.method(selector) == null) {
                throw new IllegalArgumentException("backend '" + name + "': service config rule for '" + selector
                        + "', which is not a method of its services");
            }
        }
        for (String wanted : config.services()) {
            if (!schema.services().containsKey(wanted)) {
                throw new IllegalArgumentException("backend '" + name + "': service '" + wanted + "' is not in its "
                        + "descriptors (found " + schema.services().keySet() + ")");
            }
        }
        List<Route> routes = new ArrayList<>();
        for (ServiceDescriptor service : schema.services().values()) {
            if (!config.services().isEmpty() && !config.services().contains(service.getFullName())) {
                continue;
            }
            for (MethodDescriptor method : service.getMethods()) {
                String selector = service.getFullName() + "." + method.getName();
                HttpRule rule = overrides.getOrDefault(selector, schema.httpRules().get(selector));
                if (rule == null) {
                    continue;
                }
                boolean emit = config.emitDefaults(selector);
                routes.add(Route.compile(name, method, rule, emit));
                for (HttpRule extra : rule.getAdditionalBindingsList()) {
                    if (extra.getAdditionalBindingsCount() > 0) {
                        throw new IllegalArgumentException("rule for " + selector
                                + ": additional_bindings nest only one level deep");
                    }
                    routes.add(Route.compile(name, method, extra, emit));
                }
            }
        }
        return new Loaded(schema, List.copyOf(routes), new ProtoJson(schema.types()),
                schema.hash() + "/" + serviceConfigHash);
    }

    private ProtoSchema schema() {
        String source = config.descriptorSet();
        if (source == null) {
            try {
                return ProtoSchema.of(new ReflectionClient(first, config.timeout().toMillis()).files());
            } catch (RuntimeException e) {
                throw new IllegalStateException("backend '" + name + "': server reflection at " + config.target()
                        + " failed: " + e.getMessage(), e);
            }
        }
        try {
            return ProtoSchema.load(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("backend '" + name + "': descriptor set " + source + ": " + e.getMessage());
        }
    }

    /** The modification stamp of the file sources (descriptor set file, service config); classpath counts as fixed. */
    String fileStamp() {
        StringBuilder stamp = new StringBuilder();
        for (Path file : files()) {
            try {
                stamp.append(Files.getLastModifiedTime(file).toMillis()).append(':').append(Files.size(file)).append(';');
            } catch (IOException e) {
                stamp.append("missing;");
            }
        }
        return stamp.toString();
    }

    boolean usesReflection() {
        return config.descriptorSet() == null;
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        if (config.descriptorSet() != null && !config.descriptorSet().startsWith("classpath:")) {
            files.add(Path.of(config.descriptorSet()));
        }
        if (config.serviceConfig() != null) {
            files.add(config.serviceConfig());
        }
        return files;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        channels.values().forEach(GrpcChannels::close);
    }
}
