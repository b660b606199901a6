import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.atrium.examples.payments.PaymentLedger;
import io.grpc.BindableService;
import java.time.Clock;

/**
 * The reference for bench/connectors: the same payments service (the examples' PaymentsService on a PaymentLedger)
 * served by Armeria with its HTTP/JSON transcoding, in the service's own process. Usage: java ArmeriaPayments.java PORT
 */
public final class ArmeriaPayments {
    public static void main(String[] args) throws Exception {
        var constructor = Class.forName("io.atrium.examples.payments.PaymentsService")
                .getDeclaredConstructor(PaymentLedger.class);
        constructor.setAccessible(true); // package-private in the examples: the bench uses it as it is
        BindableService payments = (BindableService) constructor.newInstance(new PaymentLedger(Clock.systemUTC()));
        GrpcService grpc = GrpcService.builder().addService(payments).enableHttpJsonTranscoding(true).build();
        Server server = Server.builder().http(Integer.parseInt(args[0])).service(grpc).build();
        server.start().join();
        System.out.println("armeria payments listening on " + args[0]);
    }
}
