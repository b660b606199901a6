package io.atrium.examples.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.proto.payments.v1.AuthorizeRequest;
import io.atrium.proto.payments.v1.BatchGetPaymentsByOrderRequest;
import io.atrium.proto.payments.v1.ListPaymentsByUserRequest;
import io.atrium.proto.payments.v1.Payment;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PaymentLedgerTest {

    private final PaymentLedger ledger = new PaymentLedger(Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void concurrentRetriesWithOneKeyChargeOnce() throws Exception {
        AuthorizeRequest request = AuthorizeRequest.newBuilder().setUserId("6").setOrderId("1007")
                .setAmount(MoneyAmount.ofCents("USD", 899).toProto()).setPaymentMethodToken("tok_visa")
                .setIdempotencyKey("retry-storm").build();
        int before = ledger.listByUser(ListPaymentsByUserRequest.newBuilder().setUserId("6").build()).getPaymentsCount();

        List<Future<Payment>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit((Callable<Payment>) () -> ledger.authorize(request)));
            }
        }

        String id = results.getFirst().get().getId();
        for (Future<Payment> result : results) {
            assertThat(result.get().getId()).isEqualTo(id);
        }
        assertThat(ledger.listByUser(ListPaymentsByUserRequest.newBuilder().setUserId("6").build()).getPaymentsCount())
                .isEqualTo(before + 1);
    }

    @Test
    void seedsDeterministicPaymentsForSeededOrders() {
        Payment first = ledger.get("pay_1001");

        assertThat(first.getOrderId()).isEqualTo("1001");
        assertThat(MoneyAmount.of(first.getCaptured())).isEqualTo(MoneyAmount.ofCents("USD", 2014));
        assertThat(first.getCreatedAt().getSeconds()).isEqualTo(Instant.parse("2026-01-02T09:16:00Z").getEpochSecond());
    }

    @Test
    void anOrdersPaymentIsItsLatestAttemptAndAnOrderWithoutOneIsNotFound() {
        AuthorizeRequest declined = AuthorizeRequest.newBuilder().setUserId("2").setOrderId("1002")
                .setAmount(MoneyAmount.ofCents("USD", 899).toProto()).setPaymentMethodToken(PaymentLedger.DECLINED_TOKEN)
                .build();
        ledger.authorize(declined);
        Payment retried = ledger.authorize(declined.toBuilder().setPaymentMethodToken("tok_visa").build());

        assertThat(ledger.getByOrder("1002")).isEqualTo(retried);
        assertThat(ledger.getByOrder("1001").getId()).isEqualTo("pay_1001");
        assertThatThrownBy(() -> ledger.getByOrder("1003")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void aBatchAnswersEachOrderOnceInRequestOrderAndLeavesOutOrdersWithoutPayment() {
        var answer = ledger.batchGetByOrder(BatchGetPaymentsByOrderRequest.newBuilder()
                .addAllOrderIds(List.of("1007", "1003", "1001", "1007")).build());

        assertThat(answer.getPaymentsList()).extracting(Payment::getOrderId).containsExactly("1007", "1001");
        assertThatThrownBy(() -> ledger.batchGetByOrder(BatchGetPaymentsByOrderRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        var tooMany = BatchGetPaymentsByOrderRequest.newBuilder();
        for (int i = 0; i <= PaymentLedger.MAX_BATCH_SIZE; i++) {
            tooMany.addOrderIds(Integer.toString(i));
        }
        assertThatThrownBy(() -> ledger.batchGetByOrder(tooMany.build())).isInstanceOf(StatusRuntimeException.class);
    }
}
