package io.atrium.edge.proxy.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The I/O transport of the data path: io_uring where the kernel allows it (Netty probes it; container runtimes often
 * block it with seccomp), native epoll next, NIO elsewhere. Client and upstream channels must use the transport of the event
 * loops they are registered with.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel, boolean automatic) {

    /** The names {@link #select} accepts. */
    public static final List<String> CHOICES = List.of("auto", "io_uring", "epoll", "nio");

    /**
     * The transport named {@code choice} ({@code auto}, or blank, picks the best available and is marked
     * {@link #automatic()}). A named transport this machine cannot run fails start-up rather than silently running another.
     */
    public static Transport select(String choice) {
        String name = choice == null || choice.isBlank() ? "auto" : choice.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "auto" -> IoUring.isAvailable() ? ioUring(true) : fallbackFromIoUring();
            case "io_uring" -> require(name, IoUring.isAvailable(), IoUring.unavailabilityCause(), () -> ioUring(false));
            case "epoll" -> require(name, Epoll.isAvailable(), Epoll.unavailabilityCause(), () -> epoll(false));
            case "nio" -> nio(false);
            default -> throw new IllegalArgumentException("unknown transport '" + choice + "'; one of " + CHOICES);
        };
    }

    /** What {@code auto} picks without io_uring (or when its rings cannot be set up after all): epoll, else NIO. */
    public static Transport fallbackFromIoUring() {
        return Epoll.isAvailable() ? epoll(true) : nio(true);
    }

    private static Transport require(String name, boolean available, Throwable cause, Supplier<Transport> transport) {
        if (!available) {
            throw new IllegalStateException("transport " + name + " is not available here: " + cause);
        }
        return transport.get();
    }

    private static Transport ioUring(boolean automatic) {
        return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, IoUringSocketChannel.class,
                automatic);
    }

    private static Transport epoll(boolean automatic) {
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class, automatic);
    }

    private static Transport nio(boolean automatic) {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class, automatic);
    }
}
