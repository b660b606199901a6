package io.atrium.router.transcode;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a server's services through gRPC server reflection: {@code grpc.reflection.v1}, falling back to
 * {@code v1alpha} when the server does not implement v1 (UNIMPLEMENTED). The two versions' messages are
 * wire-identical, so one set of marshallers serves both method names.
 */
public final class ReflectionClient {
    private static final String V1 = "grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
    private static final String V1ALPHA = "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

    private final Channel channel;
    private final long timeoutMillis;
    private String method = V1;

    public ReflectionClient(Channel channel, long timeoutMillis) {
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
    }

    /** Every file that declares a listed service, with its transitive imports, by file name. */
    public Map<String, FileDescriptorProto> files() {
        ServerReflectionResponse listed;
        try {
            listed = ask(ServerReflectionRequest.newBuilder().setListServices("").build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw e;
            }
            method = V1ALPHA;
            listed = ask(ServerReflectionRequest.newBuilder().setListServices("").build());
        }
        Map<String, FileDescriptorProto> files = new LinkedHashMap<>();
        for (var service : listed.getListServicesResponse().getServiceList()) {
            if (ProtoSchema.infrastructure(service.getName())) {
                continue;
            }
            add(ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(service.getName()).build()), files);
        }
        Deque<String> missing = new ArrayDeque<>();
        files.values().forEach(f -> missing.addAll(f.getDependencyList()));
        while (!missing.isEmpty()) {
            String name = missing.pop();
            if (files.containsKey(name)) {
                continue;
            }
            add(ask(ServerReflectionRequest.newBuilder().setFileByFilename(name).build()), files);
            FileDescriptorProto file = files.get(name);
            if (file == null) {
                throw new IllegalStateException("reflection did not return imported file '" + name + "'");
            }
            missing.addAll(file.getDependencyList());
        }
        return files;
    }

    private static void add(ServerReflectionResponse response, Map<String, FileDescriptorProto> files) {
        if (response.hasErrorResponse()) {
            throw new IllegalStateException("reflection error " + response.getErrorResponse().getErrorCode() + ": "
                    + response.getErrorResponse().getErrorMessage());
        }
        for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            try {
                FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
                files.putIfAbsent(file.getName(), file);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("reflection returned an unreadable file descriptor: " + e.getMessage());
            }
        }
    }

    private ServerReflectionResponse ask(ServerReflectionRequest request) {
        MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> descriptor =
                MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
                        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                        .setFullMethodName(method)
                        .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
                        .setResponseMarshaller(ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance()))
                        .build();
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(descriptor, CallOptions.DEFAULT.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)),
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("reflection stream ended without an answer"));
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        try {
            return answer.get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException status) {
                throw status;
            }
            throw new IllegalStateException("reflection failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("reflection did not answer within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading reflection");
        }
    }

    static List<String> methodNames() {
        return List.of(V1, V1ALPHA);
    }
}
