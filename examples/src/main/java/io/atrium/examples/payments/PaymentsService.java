package io.atrium.examples.payments;

import io.atrium.proto.payments.v1.AuthorizeRequest;
import io.atrium.proto.payments.v1.BatchGetPaymentsByOrderRequest;
import io.atrium.proto.payments.v1.BatchGetPaymentsByOrderResponse;
import io.atrium.proto.payments.v1.GetPaymentByOrderRequest;
import io.atrium.proto.payments.v1.CaptureRequest;
import io.atrium.proto.payments.v1.GetPaymentRequest;
import io.atrium.proto.payments.v1.ListPaymentsByUserRequest;
import io.atrium.proto.payments.v1.ListPaymentsByUserResponse;
import io.atrium.proto.payments.v1.Payment;
import io.atrium.proto.payments.v1.PaymentsGrpc;
import io.atrium.proto.payments.v1.RefundRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** The gRPC face of {@link PaymentLedger}. */
final class PaymentsService extends PaymentsGrpc.PaymentsImplBase {

    private final PaymentLedger ledger;

    PaymentsService(PaymentLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void authorize(AuthorizeRequest request, StreamObserver<Payment> responses) {
        reply(responses, () -> ledger.authorize(request));
    }

    @Override
    public void capture(CaptureRequest request, StreamObserver<Payment> responses) {
        reply(responses, () -> ledger.capture(request));
    }

    @Override
    public void refund(RefundRequest request, StreamObserver<Payment> responses) {
        reply(responses, () -> ledger.refund(request));
    }

    @Override
    public void getPayment(GetPaymentRequest request, StreamObserver<Payment> responses) {
        reply(responses, () -> ledger.get(request.getPaymentId()));
    }

    @Override
    public void getPaymentByOrder(GetPaymentByOrderRequest request, StreamObserver<Payment> responses) {
        reply(responses, () -> ledger.getByOrder(request.getOrderId()));
    }

    @Override
    public void batchGetPaymentsByOrder(BatchGetPaymentsByOrderRequest request,
            StreamObserver<BatchGetPaymentsByOrderResponse> responses) {
        reply(responses, () -> ledger.batchGetByOrder(request));
    }

    @Override
    public void batchListPaymentsByUser(io.atrium.proto.payments.v1.BatchListPaymentsByUserRequest request,
            StreamObserver<io.atrium.proto.payments.v1.BatchListPaymentsByUserResponse> responses) {
        reply(responses, () -> ledger.batchListByUser(request));
    }

    @Override
    public void listPaymentsByUser(ListPaymentsByUserRequest request,
            StreamObserver<ListPaymentsByUserResponse> responses) {
        reply(responses, () -> ledger.listByUser(request));
    }

    private static <T> void reply(StreamObserver<T> responses, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
            return;
        }
        responses.onNext(result);
        responses.onCompleted();
    }
}
