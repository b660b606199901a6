package io.atrium.examples.payments;

import com.google.protobuf.Timestamp;
import io.atrium.proto.payments.v1.AuthorizeRequest;
import io.atrium.proto.payments.v1.BatchGetPaymentsByOrderRequest;
import io.atrium.proto.payments.v1.BatchGetPaymentsByOrderResponse;
import io.atrium.proto.payments.v1.CaptureRequest;
import io.atrium.proto.payments.v1.ListPaymentsByUserRequest;
import io.atrium.proto.payments.v1.ListPaymentsByUserResponse;
import io.atrium.proto.payments.v1.Payment;
import io.atrium.proto.payments.v1.PaymentStatus;
import io.atrium.proto.payments.v1.RefundRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The payments of the payments service and their lifecycle: authorize, capture (fully or partly),
 * refund (fully or partly). Thread-safe: each payment changes atomically; an idempotency key maps
 * to exactly one payment, so a retried authorization never charges twice. Errors are gRPC statuses.
 */
public final class PaymentLedger {

    /** A payment method token that the demo processor always declines. */
    public static final String DECLINED_TOKEN = "tok_declined";
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_BATCH_SIZE = 100;
    private static final String ID_PREFIX = "pay_";

    private final Clock clock;
    private final Map<String, Payment> payments = new ConcurrentHashMap<>();
    private final Map<String, Idempotent> byIdempotencyKey = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1001);

    private record Idempotent(AuthorizeRequest request, String paymentId) {
    }

    public PaymentLedger(Clock clock) {
        this.clock = clock;
        Instant seeded = Instant.parse("2026-01-02T09:16:00Z");
        Payment first = insert(seedRequest("1", "1001", 2014), seeded);
        capture(CaptureRequest.newBuilder().setPaymentId(first.getId()).build(), seeded);
        Payment second = insert(seedRequest("3", "1004", 360), seeded.plusSeconds(86_400 * 3));
        capture(CaptureRequest.newBuilder().setPaymentId(second.getId()).build(), seeded.plusSeconds(86_400 * 3));
        insert(seedRequest("6", "1007", 899), seeded.plusSeconds(86_400 * 6));
    }

    public Payment authorize(AuthorizeRequest request) {
        MoneyAmount amount = amount(request);
        if (request.getUserId().isBlank()) {
            throw invalid("user_id is required");
        }
        if (request.getPaymentMethodToken().isBlank()) {
            throw invalid("payment_method_token is required");
        }
        if (!amount.isPositive()) {
            throw invalid("amount must be positive");
        }
        if (request.getIdempotencyKey().isEmpty()) {
            return insert(request, clock.instant());
        }
        String key = request.getUserId() + '\u0000' + request.getIdempotencyKey();
        Idempotent first = byIdempotencyKey.computeIfAbsent(key,
                k -> new Idempotent(request, insert(request, clock.instant()).getId()));
        if (!first.request().equals(request)) {
            throw Status.ALREADY_EXISTS.withDescription("idempotency_key '" + request.getIdempotencyKey()
                    + "' was already used for a different authorization; use a new key").asRuntimeException();
        }
        return payments.get(first.paymentId());
    }

    public Payment capture(CaptureRequest request) {
        return capture(request, clock.instant());
    }

    public Payment refund(RefundRequest request) {
        Instant now = clock.instant();
        return update(request.getPaymentId(), payment -> {
            PaymentStatus status = payment.getStatus();
            if (status != PaymentStatus.PAYMENT_STATUS_CAPTURED && status != PaymentStatus.PAYMENT_STATUS_PARTIALLY_REFUNDED) {
                throw failedPrecondition(payment, "only captured payments can be refunded");
            }
            MoneyAmount captured = MoneyAmount.of(payment.getCaptured());
            MoneyAmount refunded = MoneyAmount.of(payment.getRefunded());
            MoneyAmount refundable = captured.minus(refunded);
            MoneyAmount amount = request.hasAmount() ? money(request.getAmount()) : refundable;
            checkAmount(amount, refundable, "refund", "captured and not yet refunded");
            MoneyAmount total = refunded.plus(amount);
            return payment.toBuilder()
                    .setRefunded(total.toProto())
                    .setStatus(total.compareTo(captured) == 0
                            ? PaymentStatus.PAYMENT_STATUS_REFUNDED
                            : PaymentStatus.PAYMENT_STATUS_PARTIALLY_REFUNDED)
                    .setUpdatedAt(timestamp(now))
                    .build();
        });
    }

    public Payment get(String paymentId) {
        Payment payment = payments.get(paymentId);
        if (payment == null) {
            throw notFound(paymentId);
        }
        return payment;
    }

    /** The order's most recent payment (a retry after a decline is the one that counts); NOT_FOUND without one. */
    public Payment getByOrder(String orderId) {
        if (orderId.isEmpty()) {
            throw invalid("order_id is required");
        }
        Payment payment = latestByOrder(List.of(orderId)).get(orderId);
        if (payment == null) {
            throw Status.NOT_FOUND.withDescription("order '" + orderId + "' has no payment").asRuntimeException();
        }
        return payment;
    }

    /** Each requested order's payment as {@link #getByOrder} answers it, in request order; orders without one are left out. */
    public BatchGetPaymentsByOrderResponse batchGetByOrder(BatchGetPaymentsByOrderRequest request) {
        if (request.getOrderIdsCount() == 0 || request.getOrderIdsCount() > MAX_BATCH_SIZE) {
            throw invalid("order_ids must hold between 1 and " + MAX_BATCH_SIZE + " ids");
        }
        Map<String, Payment> latest = latestByOrder(request.getOrderIdsList());
        BatchGetPaymentsByOrderResponse.Builder response = BatchGetPaymentsByOrderResponse.newBuilder();
        request.getOrderIdsList().stream().distinct().map(latest::get).filter(Objects::nonNull)
                .forEach(response::addPayments);
        return response.build();
    }

    private Map<String, Payment> latestByOrder(List<String> orderIds) {
        Set<String> wanted = Set.copyOf(orderIds);
        Map<String, Payment> latest = new HashMap<>();
        for (Payment payment : payments.values()) {
            if (wanted.contains(payment.getOrderId())) {
                latest.merge(payment.getOrderId(), payment, (a, b) -> sequence(a) > sequence(b) ? a : b);
            }
        }
        return latest;
    }

    /** Each requested user's first page as {@link #listByUser} answers it with the default page size, in request order. */
    public io.atrium.proto.payments.v1.BatchListPaymentsByUserResponse batchListByUser(
            io.atrium.proto.payments.v1.BatchListPaymentsByUserRequest request) {
        if (request.getUserIdsCount() == 0 || request.getUserIdsCount() > MAX_BATCH_SIZE) {
            throw invalid("user_ids must hold between 1 and " + MAX_BATCH_SIZE + " ids");
        }
        var response = io.atrium.proto.payments.v1.BatchListPaymentsByUserResponse.newBuilder();
        for (String user : request.getUserIdsList().stream().distinct().toList()) {
            response.addAllPayments(listByUser(ListPaymentsByUserRequest.newBuilder().setUserId(user).build())
                    .getPaymentsList());
        }
        return response.build();
    }

    public ListPaymentsByUserResponse listByUser(ListPaymentsByUserRequest request) {
        if (request.getPageSize() < 0 || request.getPageSize() > MAX_PAGE_SIZE) {
            throw invalid("page_size must be between 0 and " + MAX_PAGE_SIZE);
        }
        int pageSize = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
        int offset = offset(request.getPageToken());
        List<Payment> ofUser = payments.values().stream()
                .filter(payment -> payment.getUserId().equals(request.getUserId()))
                .sorted(Comparator.comparingLong(PaymentLedger::sequence))
                .toList();
        int end = Math.min(ofUser.size(), offset + pageSize);
        ListPaymentsByUserResponse.Builder response = ListPaymentsByUserResponse.newBuilder();
        if (offset < end) {
            response.addAllPayments(ofUser.subList(offset, end));
        }
        if (end < ofUser.size()) {
            response.setNextPageToken(pageToken(end));
        }
        return response.build();
    }

    private Payment capture(CaptureRequest request, Instant now) {
        return update(request.getPaymentId(), payment -> {
            if (payment.getStatus() != PaymentStatus.PAYMENT_STATUS_AUTHORIZED) {
                throw failedPrecondition(payment, "only authorized payments can be captured");
            }
            MoneyAmount authorized = MoneyAmount.of(payment.getAmount());
            MoneyAmount amount = request.hasAmount() ? money(request.getAmount()) : authorized;
            checkAmount(amount, authorized, "capture", "authorized");
            return payment.toBuilder()
                    .setCaptured(amount.toProto())
                    .setStatus(PaymentStatus.PAYMENT_STATUS_CAPTURED)
                    .setUpdatedAt(timestamp(now))
                    .build();
        });
    }

    private Payment insert(AuthorizeRequest request, Instant now) {
        MoneyAmount amount = amount(request);
        boolean declined = DECLINED_TOKEN.equals(request.getPaymentMethodToken());
        Payment payment = Payment.newBuilder()
                .setId(ID_PREFIX + nextId.getAndIncrement())
                .setUserId(request.getUserId())
                .setOrderId(request.getOrderId())
                .setAmount(amount.toProto())
                .setCaptured(MoneyAmount.zero(amount.currencyCode()).toProto())
                .setRefunded(MoneyAmount.zero(amount.currencyCode()).toProto())
                .setStatus(declined ? PaymentStatus.PAYMENT_STATUS_DECLINED : PaymentStatus.PAYMENT_STATUS_AUTHORIZED)
                .setCreatedAt(timestamp(now))
                .setUpdatedAt(timestamp(now))
                .build();
        payments.put(payment.getId(), payment);
        return payment;
    }

    private Payment update(String paymentId, java.util.function.UnaryOperator<Payment> change) {
        Payment updated = payments.computeIfPresent(paymentId, (id, payment) -> change.apply(payment));
        if (updated == null) {
            throw notFound(paymentId);
        }
        return updated;
    }

    private static void checkAmount(MoneyAmount amount, MoneyAmount limit, String action, String what) {
        if (!amount.currencyCode().equals(limit.currencyCode())) {
            throw invalid("amount currency " + amount.currencyCode() + " differs from the payment's "
                    + limit.currencyCode());
        }
        if (!amount.isPositive()) {
            throw invalid(action + " amount must be positive");
        }
        if (amount.compareTo(limit) > 0) {
            throw invalid(action + " amount exceeds the amount " + what);
        }
    }

    private static MoneyAmount amount(AuthorizeRequest request) {
        if (!request.hasAmount()) {
            throw invalid("amount is required");
        }
        return money(request.getAmount());
    }

    private static MoneyAmount money(io.atrium.proto.payments.v1.Money money) {
        try {
            return MoneyAmount.of(money);
        } catch (IllegalArgumentException e) {
            throw invalid("amount: " + e.getMessage());
        }
    }

    private static AuthorizeRequest seedRequest(String userId, String orderId, long cents) {
        return AuthorizeRequest.newBuilder()
                .setUserId(userId)
                .setOrderId(orderId)
                .setAmount(MoneyAmount.ofCents("USD", cents).toProto())
                .setPaymentMethodToken("tok_visa")
                .build();
    }

    private static long sequence(Payment payment) {
        return Long.parseLong(payment.getId().substring(ID_PREFIX.length()));
    }

    private static String pageToken(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String pageToken) {
        if (pageToken.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            if (decoded.startsWith("offset:")) {
                int offset = Integer.parseInt(decoded.substring("offset:".length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw invalid("page_token is not one this service returned; start again without it");
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    private static StatusRuntimeException notFound(String paymentId) {
        return Status.NOT_FOUND.withDescription("no payment with id '" + paymentId + "'").asRuntimeException();
    }

    /** With a google.rpc.ErrorInfo detail, so clients (REST and GraphQL alike) can branch on a stable reason. */
    private static StatusRuntimeException failedPrecondition(Payment payment, String message) {
        return io.grpc.protobuf.StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(com.google.rpc.Code.FAILED_PRECONDITION_VALUE)
                .setMessage(message + "; payment " + payment.getId() + " is " + payment.getStatus())
                .addDetails(com.google.protobuf.Any.pack(com.google.rpc.ErrorInfo.newBuilder()
                        .setReason("PAYMENT_STATE")
                        .setDomain("payments.atrium.io")
                        .putMetadata("payment_id", payment.getId())
                        .putMetadata("status", payment.getStatus().name())
                        .build()))
                .build());
    }
}
