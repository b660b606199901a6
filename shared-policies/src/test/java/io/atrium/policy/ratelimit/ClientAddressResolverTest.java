package io.atrium.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.TestRequest;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressResolverTest {

    private final ClientAddressResolver resolver = new ClientAddressResolver(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")));

    private String resolve(TestRequest request) {
        return resolver.resolve(request).getHostAddress();
    }

    @Test
    void forwardedForIsIgnoredFromUntrustedPeers() {
        assertThat(resolve(TestRequest.get("/").from("203.0.113.7").header("X-Forwarded-For", "1.2.3.4"))).isEqualTo("203.0.113.7");
        assertThat(ClientAddressResolver.untrusting().resolve(TestRequest.get("/").from("10.0.0.1").header("X-Forwarded-For", "1.2.3.4")))
                .isEqualTo(InetAddress.ofLiteral("10.0.0.1"));
    }

    @Test
    void rightmostUntrustedHopIsTheClient() {
        TestRequest request = TestRequest.get("/").from("10.0.0.1")
                .header("X-Forwarded-For", "6.6.6.6, 198.51.100.2, 10.1.1.1");
        assertThat(resolve(request)).as("the spoofed left entry is ignored").isEqualTo("198.51.100.2");
    }

    @Test
    void severalHeaderLinesAreOneList() {
        TestRequest request = TestRequest.get("/").from("10.0.0.1")
                .header("X-Forwarded-For", "198.51.100.2").header("X-Forwarded-For", "10.2.2.2");
        assertThat(resolve(request)).isEqualTo("198.51.100.2");
    }

    @Test
    void garbageStopsTheWalk() {
        TestRequest request = TestRequest.get("/").from("10.0.0.1").header("X-Forwarded-For", "evil.example, 10.3.3.3");
        assertThat(resolve(request)).isEqualTo("10.3.3.3");
    }

    @Test
    void cidrMatching() {
        Cidr v4 = Cidr.parse("192.168.4.0/22");
        assertThat(v4.contains(InetAddress.ofLiteral("192.168.7.255"))).isTrue();
        assertThat(v4.contains(InetAddress.ofLiteral("192.168.8.0"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(InetAddress.ofLiteral("fd12::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(InetAddress.ofLiteral("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("127.0.0.1").contains(InetAddress.ofLiteral("127.0.0.1"))).isTrue();
    }
}
