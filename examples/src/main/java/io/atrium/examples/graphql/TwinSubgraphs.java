package io.atrium.examples.graphql;

import com.google.protobuf.Timestamp;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import io.atrium.examples.ExampleService;
import io.atrium.examples.orders.Order;
import io.atrium.examples.orders.OrderLine;
import io.atrium.examples.orders.OrderStore;
import io.atrium.examples.payments.PaymentLedger;
import io.atrium.proto.payments.v1.BatchGetPaymentsByOrderRequest;
import io.atrium.proto.payments.v1.ListPaymentsByUserRequest;
import io.atrium.proto.payments.v1.Money;
import io.atrium.proto.payments.v1.Payment;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The orders (REST) and payments (gRPC) services' data served as federation subgraphs ("twins"), for the connectors
 * benchmark: the same types, fields and entity keys as the connector subgraphs of those services
 * ({@code atrium connector openapi} of the orders OpenAPI document, {@code config/connectors/payments.graphql}), read
 * from the same stores ({@link OrderStore}, {@link PaymentLedger}) with the same deterministic seed, so a query
 * answers byte for byte what it answers through the connectors. Queries only.
 */
public final class TwinSubgraphs {

    private TwinSubgraphs() {
    }

    /** A user or an order as the twins see them: only the key. */
    record UserRef(String id) {
    }

    record OrderRef(String id) {
    }

    /** A payment in the connector's proto3 JSON shape: 64-bit units as strings, enums and timestamps as strings. */
    record PaymentView(String id, String userId, String orderId, MoneyView amount, MoneyView captured,
            MoneyView refunded, String status, String createdAt, String updatedAt) {
    }

    record MoneyView(String currencyCode, String units, int nanos) {
    }

    public static Subgraph orders(OrderStore store) {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type
                        .dataFetcher("order", env -> store.find(env.getArgument("id")).orElse(null))
                        .dataFetcher("orders", env -> {
                            String userId = env.getArgument("userId");
                            return store.list(userId == null || userId.isEmpty() ? null : userId);
                        }))
                .type("OrderLine", type -> type
                        .dataFetcher("product", env -> Map.of("upc", env.<OrderLine>getSource().upc())))
                .type("User", type -> type
                        .dataFetcher("orders", env -> store.list(env.<UserRef>getSource().id())));
        GraphQLSchema schema = Subgraphs.federated(ExampleService.ORDERS_GRAPHQL, wiring,
                Map.of("Order", rep -> store.find(Subgraphs.string(rep, "id")).orElse(null),
                        "User", rep -> new UserRef(Subgraphs.string(rep, "id"))),
                Map.of(Order.class, "Order", UserRef.class, "User"));
        return new Subgraph(ExampleService.ORDERS_GRAPHQL, schema);
    }

    public static Subgraph payments(PaymentLedger ledger) {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(stringScalar("Long"))
                .scalar(stringScalar("DateTime"))
                .type("Query", type -> type
                        .dataFetcher("payment", env -> byId(ledger, env.getArgument("paymentId"))))
                .type("User", type -> type
                        .dataFetcher("payments", env -> ledger.listByUser(ListPaymentsByUserRequest.newBuilder()
                                        .setUserId(env.<UserRef>getSource().id()).build())
                                .getPaymentsList().stream().map(TwinSubgraphs::view).toList()))
                .type("Order", type -> type
                        .dataFetcher("payment", env -> ledger.batchGetByOrder(BatchGetPaymentsByOrderRequest
                                        .newBuilder().addOrderIds(env.<OrderRef>getSource().id()).build())
                                .getPaymentsList().stream().findFirst().map(TwinSubgraphs::view).orElse(null)));
        GraphQLSchema schema = Subgraphs.federated(ExampleService.PAYMENTS_GRAPHQL, wiring,
                Map.of("Payment", rep -> byId(ledger, Subgraphs.string(rep, "id")),
                        "User", rep -> new UserRef(Subgraphs.string(rep, "id")),
                        "Order", rep -> new OrderRef(Subgraphs.string(rep, "id"))),
                Map.of(PaymentView.class, "Payment", UserRef.class, "User", OrderRef.class, "Order"));
        return new Subgraph(ExampleService.PAYMENTS_GRAPHQL, schema);
    }

    private static PaymentView byId(PaymentLedger ledger, String id) {
        try {
            return view(ledger.get(id));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    static PaymentView view(Payment payment) {
        return new PaymentView(payment.getId(), payment.getUserId(), payment.getOrderId(),
                payment.hasAmount() ? money(payment.getAmount()) : null,
                payment.hasCaptured() ? money(payment.getCaptured()) : null,
                payment.hasRefunded() ? money(payment.getRefunded()) : null,
                payment.getStatus().name(),
                payment.hasCreatedAt() ? timestamp(payment.getCreatedAt()) : null,
                payment.hasUpdatedAt() ? timestamp(payment.getUpdatedAt()) : null);
    }

    private static MoneyView money(Money money) {
        return new MoneyView(money.getCurrencyCode(), Long.toString(money.getUnits()), money.getNanos());
    }

    /** As proto3 JSON prints a Timestamp: RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits (ISO_INSTANT's rule). */
    private static String timestamp(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
    }

    /** A scalar carried as a string both ways (Long and DateTime here, as the gRPC connector prints them). */
    private static GraphQLScalarType stringScalar(String name) {
        return GraphQLScalarType.newScalar().name(name).coercing(new Coercing<Object, String>() {
            @Override
            public String serialize(Object value, GraphQLContext context, Locale locale) {
                return value.toString();
            }

            @Override
            public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                if (input instanceof String value) {
                    return value;
                }
                throw new CoercingParseValueException(name + " must be a string");
            }

            @Override
            public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                    Locale locale) {
                if (input instanceof StringValue value) {
                    return value.getValue();
                }
                throw new CoercingParseLiteralException(name + " must be a string literal");
            }
        }).build();
    }
}
