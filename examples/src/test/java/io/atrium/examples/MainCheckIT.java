package io.atrium.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MainCheckIT {

    @ParameterizedTest
    @EnumSource(value = ExampleService.class, names = {"ACCOUNTS", "ORDERS", "PAYMENTS"})
    void checkIsZeroWhileTheServiceRunsAndOneOnceItStopped(ExampleService service) {
        int port;
        try (RunningService running = ExampleServices.start(service, 0)) {
            port = running.port();
            // a check is one probe with a 2 s timeout (as a container health check, which its runner retries): a
            // service just started on a loaded machine may miss the first, so up to three are made
            int status = 1;
            for (int attempt = 0; attempt < 3 && status != 0; attempt++) {
                status = check(service, port);
            }
            assertThat(status).isZero();
        }
        assertThat(check(service, port)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = ExampleService.class, names = {"INVENTORY", "PAYMENTS"})
    void checkIsOneWhenNothingListens(ExampleService service) throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        assertThat(check(service, freePort)).isEqualTo(1);
    }

    private static int check(ExampleService service, int port) {
        CommandLine command = CommandLine.parse(List.of("check", service.serviceName(), "--port", Integer.toString(port)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return Main.execute(command, print, print);
    }
}
