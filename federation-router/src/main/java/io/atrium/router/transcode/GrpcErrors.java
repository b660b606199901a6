package io.atrium.router.transcode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.Base64;
import java.util.List;

/**
 * gRPC statuses as HTTP: the status code from {@code google.rpc.Code}'s documented HTTP mapping (the same table
 * grpc-gateway and Envoy use), the body a {@code google.rpc.Status} in proto3 JSON with its details decoded
 * ({@code grpc-status-details-bin}; types the backend's descriptors or {@code google/rpc/error_details.proto} know).
 */
final class GrpcErrors {

    private GrpcErrors() {
    }

    /** A transcoder-made error (never reached the backend, or the backend broke the protocol). */
    record Problem(int httpStatus, com.google.rpc.Status status) {
    }

    static int httpStatus(int code) {
        return switch (code) {
            case 0 -> 200;                 // OK
            case 1 -> 499;                 // CANCELLED
            case 2, 13, 15 -> 500;         // UNKNOWN, INTERNAL, DATA_LOSS
            case 3, 9, 11 -> 400;          // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
            case 4 -> 504;                 // DEADLINE_EXCEEDED
            case 5 -> 404;                 // NOT_FOUND
            case 6, 10 -> 409;             // ALREADY_EXISTS, ABORTED
            case 7 -> 403;                 // PERMISSION_DENIED
            case 8 -> 429;                 // RESOURCE_EXHAUSTED
            case 12 -> 501;                // UNIMPLEMENTED
            case 14 -> 503;                // UNAVAILABLE
            case 16 -> 401;                // UNAUTHENTICATED
            default -> 500;
        };
    }

    /** The backend's status with its details (from the trailers when the backend sent them). */
    static com.google.rpc.Status fromGrpc(Status status, Metadata trailers) {
        com.google.rpc.Status detailed = trailers == null ? null : StatusProto.fromStatusAndTrailers(status, trailers);
        if (detailed != null) {
            return detailed;
        }
        String message = status.getDescription() != null ? status.getDescription()
                : status.getCode() == Status.Code.UNAVAILABLE ? "the backend is unavailable" : status.getCode().name();
        return com.google.rpc.Status.newBuilder().setCode(status.getCode().value()).setMessage(message).build();
    }

    static Problem problem(int httpStatus, Code code, String message) {
        return new Problem(httpStatus, com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build());
    }

    static Problem invalid(String message, List<ProtoJson.Violation> violations) {
        BadRequest.Builder details = BadRequest.newBuilder();
        violations.forEach(v -> details.addFieldViolations(v.toProto()));
        return new Problem(400, com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(message)
                .addDetails(Any.pack(details.build()))
                .build());
    }

    /**
     * The status as JSON. A detail whose type is unknown is kept as {@code {"@type": url, "value": base64}} instead
     * of failing the whole error body.
     */
    static String json(com.google.rpc.Status status, JsonFormat.TypeRegistry types) {
        JsonFormat.Printer printer = JsonFormat.printer().usingTypeRegistry(types).omittingInsignificantWhitespace()
                .alwaysPrintFieldsWithNoPresence();
        try {
            return printer.print(status);
        } catch (InvalidProtocolBufferException e) {
            JsonObject object = new JsonObject();
            object.addProperty("code", status.getCode());
            object.addProperty("message", status.getMessage());
            JsonArray details = new JsonArray();
            for (Any detail : status.getDetailsList()) {
                try {
                    details.add(com.google.gson.JsonParser.parseString(printer.print(detail)));
                } catch (InvalidProtocolBufferException unknown) {
                    JsonObject raw = new JsonObject();
                    raw.addProperty("@type", detail.getTypeUrl());
                    raw.addProperty("value", Base64.getEncoder().encodeToString(detail.getValue().toByteArray()));
                    details.add(raw);
                }
            }
            object.add("details", details);
            return object.toString();
        }
    }
}
