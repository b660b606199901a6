package io.atrium.examples.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.examples.ExampleService;
import io.atrium.examples.ExampleServices;
import io.atrium.examples.RunningService;
import io.atrium.proto.payments.v1.AuthorizeRequest;
import io.atrium.proto.payments.v1.BatchGetPaymentsByOrderRequest;
import io.atrium.proto.payments.v1.BatchGetPaymentsByOrderResponse;
import io.atrium.proto.payments.v1.CaptureRequest;
import io.atrium.proto.payments.v1.GetPaymentByOrderRequest;
import io.atrium.proto.payments.v1.GetPaymentRequest;
import io.atrium.proto.payments.v1.ListPaymentsByUserRequest;
import io.atrium.proto.payments.v1.ListPaymentsByUserResponse;
import io.atrium.proto.payments.v1.Money;
import io.atrium.proto.payments.v1.Payment;
import io.atrium.proto.payments.v1.PaymentStatus;
import io.atrium.proto.payments.v1.PaymentsGrpc;
import io.atrium.proto.payments.v1.RefundRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PaymentsIT {

    private static RunningService payments;
    private static ManagedChannel channel;
    private static PaymentsGrpc.PaymentsBlockingStub stub;

    @BeforeAll
    static void start() {
        payments = ExampleServices.start(ExampleService.PAYMENTS, 0);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", payments.port()).usePlaintext().build();
        stub = PaymentsGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        payments.close();
    }

    @Test
    void authorizeCaptureRefundLifecycle() {
        Payment authorized = stub().authorize(authorize("2", "1002", usd(12, 990_000_000), "lifecycle-1"));
        assertThat(authorized.getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_AUTHORIZED);
        assertThat(authorized.getId()).startsWith("pay_");

        Payment captured = stub().capture(CaptureRequest.newBuilder().setPaymentId(authorized.getId())
                .setAmount(usd(10, 0)).build());
        assertThat(captured.getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_CAPTURED);
        assertThat(captured.getCaptured()).isEqualTo(usd(10, 0));

        Payment partly = stub().refund(RefundRequest.newBuilder().setPaymentId(authorized.getId())
                .setAmount(usd(2, 500_000_000)).setReason("damaged").build());
        assertThat(partly.getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_PARTIALLY_REFUNDED);
        assertThat(partly.getRefunded()).isEqualTo(usd(2, 500_000_000));

        Payment refunded = stub().refund(RefundRequest.newBuilder().setPaymentId(authorized.getId()).build());
        assertThat(refunded.getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_REFUNDED);
        assertThat(refunded.getRefunded()).isEqualTo(usd(10, 0));

        assertThat(stub().getPayment(GetPaymentRequest.newBuilder().setPaymentId(authorized.getId()).build()))
                .isEqualTo(refunded);
        assertStatus(() -> stub().refund(RefundRequest.newBuilder().setPaymentId(authorized.getId()).build()),
                Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void sameIdempotencyKeyTwiceIsOnePayment() {
        AuthorizeRequest request = authorize("4", "1005", usd(15, 500_000_000), "idem-1");

        Payment first = stub().authorize(request);
        Payment retry = stub().authorize(request);

        assertThat(retry).isEqualTo(first);
        assertThat(payments("4")).filteredOn(payment -> payment.getOrderId().equals("1005")).hasSize(1);
        assertStatus(() -> stub().authorize(request.toBuilder().setAmount(usd(1, 0)).build()),
                Status.Code.ALREADY_EXISTS);
    }

    @Test
    void unknownPaymentIsNotFound() {
        assertStatus(() -> stub().getPayment(GetPaymentRequest.newBuilder().setPaymentId("pay_0").build()),
                Status.Code.NOT_FOUND);
        assertStatus(() -> stub().capture(CaptureRequest.newBuilder().setPaymentId("pay_0").build()),
                Status.Code.NOT_FOUND);
    }

    @Test
    void paymentsAreLookedUpByOrderOneOrManyAtOnce() {
        assertThat(stub().getPaymentByOrder(GetPaymentByOrderRequest.newBuilder().setOrderId("1007").build()).getId())
                .isEqualTo("pay_1003");
        assertStatus(() -> stub().getPaymentByOrder(GetPaymentByOrderRequest.newBuilder().setOrderId("1008").build()),
                Status.Code.NOT_FOUND);
        BatchGetPaymentsByOrderResponse batch = stub().batchGetPaymentsByOrder(BatchGetPaymentsByOrderRequest.newBuilder()
                .addOrderIds("1001").addOrderIds("1008").addOrderIds("1007").build());
        assertThat(batch.getPaymentsList()).extracting(Payment::getId).containsExactly("pay_1001", "pay_1003");
    }

    @Test
    void invalidAmountsAreRejected() {
        assertStatus(() -> stub().authorize(authorize("1", "1003", usd(0, 0), "")), Status.Code.INVALID_ARGUMENT);
        assertStatus(() -> stub().authorize(authorize("1", "1003",
                Money.newBuilder().setCurrencyCode("usd").setUnits(1).build(), "")), Status.Code.INVALID_ARGUMENT);
        Payment authorized = stub().authorize(authorize("1", "1003", usd(5, 0), ""));
        assertStatus(() -> stub().capture(CaptureRequest.newBuilder().setPaymentId(authorized.getId())
                .setAmount(usd(6, 0)).build()), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void declinedPaymentMethodIsDeclined() {
        Payment declined = stub().authorize(authorize("3", "1004", usd(3, 0), "").toBuilder()
                .setPaymentMethodToken("tok_declined").build());

        assertThat(declined.getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_DECLINED);
        assertStatus(() -> stub().capture(CaptureRequest.newBuilder().setPaymentId(declined.getId()).build()),
                Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void listsAUsersPaymentsPageByPage() {
        for (int i = 0; i < 3; i++) {
            stub().authorize(authorize("5", "1006", usd(1 + i, 0), ""));
        }
        ListPaymentsByUserResponse first = stub().listPaymentsByUser(
                ListPaymentsByUserRequest.newBuilder().setUserId("5").setPageSize(2).build());
        ListPaymentsByUserResponse second = stub().listPaymentsByUser(ListPaymentsByUserRequest.newBuilder()
                .setUserId("5").setPageSize(2).setPageToken(first.getNextPageToken()).build());

        assertThat(first.getPaymentsList()).hasSize(2);
        assertThat(first.getNextPageToken()).isNotEmpty();
        assertThat(second.getPaymentsList()).hasSize(1);
        assertThat(second.getNextPageToken()).isEmpty();
        assertThat(payments("1")).extracting(Payment::getOrderId).contains("1001");
    }

    @Test
    void healthServiceIsServing() {
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);

        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(PaymentsGrpc.SERVICE_NAME).build())
                .getStatus()).isEqualTo(ServingStatus.SERVING);
    }

    private static List<Payment> payments(String userId) {
        List<Payment> all = new ArrayList<>();
        String token = "";
        do {
            ListPaymentsByUserResponse page = stub().listPaymentsByUser(ListPaymentsByUserRequest.newBuilder()
                    .setUserId(userId).setPageToken(token).build());
            all.addAll(page.getPaymentsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    private static PaymentsGrpc.PaymentsBlockingStub stub() {
        return stub.withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static AuthorizeRequest authorize(String userId, String orderId, Money amount, String key) {
        return AuthorizeRequest.newBuilder().setUserId(userId).setOrderId(orderId).setAmount(amount)
                .setPaymentMethodToken("tok_visa").setIdempotencyKey(key).build();
    }

    private static Money usd(long units, int nanos) {
        return Money.newBuilder().setCurrencyCode("USD").setUnits(units).setNanos(nanos).build();
    }

    private static void assertStatus(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
