package io.atrium.edge.proxy.internal;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportTest {

    @Test
    void autoPicksTheFastestTransportThisMachineCanRun() {
        String expected = IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(Transport.select("auto").name()).isEqualTo(expected);
        assertThat(Transport.select(null).name()).isEqualTo(expected);
        assertThat(Transport.select(" ").name()).isEqualTo(expected);
        assertThat(Transport.select("auto").automatic()).isTrue();
    }

    @Test
    void aNamedTransportIsThatTransportOrAStartFailure() {
        assertThat(Transport.select("NIO").name()).isEqualTo("nio");
        assertThat(Transport.select("nio").automatic()).as("a pinned transport never falls back").isFalse();
        if (Epoll.isAvailable()) {
            assertThat(Transport.select("epoll").name()).isEqualTo("epoll");
        } else {
            assertThatThrownBy(() -> Transport.select("epoll")).hasMessageStartingWith("transport epoll is not available here");
        }
        if (IoUring.isAvailable()) {
            assertThat(Transport.select("io_uring").name()).isEqualTo("io_uring");
        } else {
            assertThatThrownBy(() -> Transport.select("io_uring")).hasMessageStartingWith("transport io_uring is not available here");
        }
        assertThatThrownBy(() -> Transport.select("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown transport 'kqueue'; one of [auto, io_uring, epoll, nio]");
    }
}
