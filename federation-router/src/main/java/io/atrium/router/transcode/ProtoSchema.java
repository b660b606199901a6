package io.atrium.router.transcode;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services of one gRPC backend as descriptors, from a descriptor set or server reflection: built once per
 * (re)load. The {@code google.api.http} rules are read from the method options re-parsed with an extension registry
 * that knows {@code google.api.http}: descriptors rebuilt from bytes otherwise keep them as unknown fields.
 *
 * @param services   the services by full name (never gRPC's own: reflection, health, channelz)
 * @param httpRules  the annotated rule per method full name ({@code pkg.Service.Method})
 * @param types      every message type, for {@code Any} in JSON (error details included)
 * @param hash       SHA-256 over the file descriptors in a stable order: unchanged hash, unchanged schema
 */
public record ProtoSchema(Map<String, ServiceDescriptor> services, Map<String, HttpRule> httpRules,
                          JsonFormat.TypeRegistry types, String hash) {

    private static final ExtensionRegistry REGISTRY = registry();

    public ProtoSchema {
        services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
        httpRules = Map.copyOf(httpRules);
    }

    /** The method by {@code pkg.Service.Method} or {@code pkg.Service/Method}, or null. */
    public MethodDescriptor method(String selector) {
        String normalized = selector.replace('/', '.');
        int dot = normalized.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        ServiceDescriptor service = services.get(normalized.substring(0, dot));
        return service == null ? null : service.findMethodByName(normalized.substring(dot + 1));
    }

    /** Builds the schema from a descriptor set (dependencies included, in any order). */
    public static ProtoSchema of(FileDescriptorSet set) {
        Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
        for (FileDescriptorProto file : set.getFileList()) {
            byName.put(file.getName(), file);
        }
        return of(byName);
    }

    /**
     * Reads a descriptor set from a file or a {@code classpath:} resource (the protos jar ships
     * {@code classpath:META-INF/atrium/protos/atrium.desc}).
     *
     * @throws IllegalArgumentException when it cannot be read or is not a descriptor set
     */
    public static ProtoSchema load(String source) {
        byte[] bytes;
        if (source.startsWith("classpath:")) {
            try (java.io.InputStream in = ProtoSchema.class.getClassLoader()
                    .getResourceAsStream(source.substring("classpath:".length()))) {
                if (in == null) {
                    throw new IllegalArgumentException("no classpath resource " + source);
                }
                bytes = in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage());
            }
        } else {
            try {
                bytes = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(source));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage());
            }
        }
        return parse(bytes);
    }

    /** Parses descriptor set bytes. */
    public static ProtoSchema parse(byte[] descriptorSet) {
        try {
            return of(FileDescriptorSet.parseFrom(descriptorSet, REGISTRY));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a FileDescriptorSet: " + e.getMessage());
        }
    }

    public static ProtoSchema of(Map<String, FileDescriptorProto> byName) {
        Map<String, FileDescriptor> built = new LinkedHashMap<>();
        for (String name : byName.keySet()) {
            build(name, byName, built, new java.util.HashSet<>());
        }
        Map<String, ServiceDescriptor> services = new java.util.TreeMap<>();
        Map<String, HttpRule> rules = new LinkedHashMap<>();
        JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder()
                .add(com.google.rpc.ErrorInfo.getDescriptor())
                .add(com.google.rpc.BadRequest.getDescriptor())
                .add(com.google.rpc.RetryInfo.getDescriptor())
                .add(com.google.rpc.DebugInfo.getDescriptor())
                .add(com.google.rpc.QuotaFailure.getDescriptor())
                .add(com.google.rpc.PreconditionFailure.getDescriptor())
                .add(com.google.rpc.RequestInfo.getDescriptor())
                .add(com.google.rpc.ResourceInfo.getDescriptor())
                .add(com.google.rpc.Help.getDescriptor())
                .add(com.google.rpc.LocalizedMessage.getDescriptor());
        for (FileDescriptor file : built.values()) {
            types.add(file.getMessageTypes());
            FileDescriptorProto proto = byName.get(file.getName());
            for (ServiceDescriptor service : file.getServices()) {
                if (infrastructure(service.getFullName())) {
                    continue;
                }
                services.put(service.getFullName(), service);
                ServiceDescriptorProto serviceProto = proto.getService(service.getIndex());
                for (MethodDescriptorProto method : serviceProto.getMethodList()) {
                    HttpRule rule = httpRule(method.getOptions());
                    if (rule != null) {
                        rules.put(service.getFullName() + "." + method.getName(), rule);
                    }
                }
            }
        }
        return new ProtoSchema(services, rules, types.build(), hash(byName));
    }

    /** gRPC's own services (reflection, health, channelz, load reporting): never exposed. */
    static boolean infrastructure(String service) {
        return service.startsWith("grpc.reflection.") || service.startsWith("grpc.health.")
                || service.startsWith("grpc.channelz.") || service.startsWith("grpc.lb.")
                || service.startsWith("grpc.binarylog.");
    }

    private static HttpRule httpRule(MethodOptions options) {
        try {
            MethodOptions parsed = MethodOptions.parseFrom(options.toByteString(), REGISTRY);
            return parsed.hasExtension(AnnotationsProto.http) ? parsed.getExtension(AnnotationsProto.http) : null;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("method options do not parse: " + e.getMessage());
        }
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> byName,
                                        Map<String, FileDescriptor> built, java.util.Set<String> visiting) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptor known = wellKnown(name);
        if (known != null) {
            built.put(name, known);
            return known;
        }
        FileDescriptorProto proto = byName.get(name);
        if (proto == null) {
            throw new IllegalArgumentException("descriptor file '" + name + "' is imported but missing");
        }
        if (!visiting.add(name)) {
            throw new IllegalArgumentException("descriptor file '" + name + "' imports itself");
        }
        List<FileDescriptor> deps = new ArrayList<>();
        for (String dep : proto.getDependencyList()) {
            deps.add(build(dep, byName, built, visiting));
        }
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new));
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException("descriptor file '" + name + "' is invalid: " + e.getMessage());
        }
    }

    /** google/protobuf and google/api files come from the compiled-in classes so their Java types line up. */
    private static FileDescriptor wellKnown(String name) {
        return switch (name) {
            case "google/api/annotations.proto" -> AnnotationsProto.getDescriptor();
            case "google/api/http.proto" -> com.google.api.HttpProto.getDescriptor();
            case "google/protobuf/descriptor.proto" -> com.google.protobuf.DescriptorProtos.getDescriptor();
            case "google/protobuf/timestamp.proto" -> com.google.protobuf.TimestampProto.getDescriptor();
            case "google/protobuf/duration.proto" -> com.google.protobuf.DurationProto.getDescriptor();
            case "google/protobuf/wrappers.proto" -> com.google.protobuf.WrappersProto.getDescriptor();
            case "google/protobuf/struct.proto" -> com.google.protobuf.StructProto.getDescriptor();
            case "google/protobuf/empty.proto" -> com.google.protobuf.EmptyProto.getDescriptor();
            case "google/protobuf/any.proto" -> com.google.protobuf.AnyProto.getDescriptor();
            case "google/protobuf/field_mask.proto" -> com.google.protobuf.FieldMaskProto.getDescriptor();
            default -> null;
        };
    }

    /**
     * SHA-256 over the files that define {@code services} and every file they import, in name order, without source
     * info: the same whether the descriptors come from a descriptor set or from server reflection (which sends only
     * those files), and unchanged by files the services do not use.
     */
    public static String servicesHash(java.util.Collection<ServiceDescriptor> services) {
        java.util.TreeMap<String, FileDescriptor> closure = new java.util.TreeMap<>();
        java.util.ArrayDeque<FileDescriptor> pending = new java.util.ArrayDeque<>();
        services.forEach(service -> pending.add(service.getFile()));
        while (!pending.isEmpty()) {
            FileDescriptor file = pending.poll();
            if (closure.putIfAbsent(file.getName(), file) == null) {
                pending.addAll(file.getDependencies());
            }
        }
        Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
        closure.forEach((name, file) -> byName.put(name, file.toProto().toBuilder().clearSourceCodeInfo().build()));
        return hash(byName);
    }

    private static String hash(Map<String, FileDescriptorProto> byName) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : new java.util.TreeSet<>(byName.keySet())) {
                digest.update(byName.get(name).toByteArray());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExtensionRegistry registry() {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        AnnotationsProto.registerAllExtensions(registry);
        com.google.api.FieldBehaviorProto.registerAllExtensions(registry);
        return registry;
    }
}
