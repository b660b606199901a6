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
            assertThat(check(service, port)).isZero();
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
