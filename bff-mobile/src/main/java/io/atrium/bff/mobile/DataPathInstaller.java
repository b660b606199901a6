package io.atrium.bff.mobile;

import io.atrium.graphql.bff.DataPathHandler;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;

/**
 * Puts the BFF's data path ({@link MobileBff#dataPath}, graphql-kit's {@link DataPathHandler}) into every HTTP/1.1
 * connection of Micronaut's Netty server, between the codec and Micronaut's request handler. HTTP/2 connections
 * (another pipeline) are served by the controllers alone.
 */
@Singleton
final class DataPathInstaller implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private final MobileBff bff;

    DataPathInstaller(MobileBff bff) {
        this.bff = bff;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private final class Customizer implements NettyServerCustomizer {
        private final Channel channel;

        Customizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null) {
                DataPathHandler.install(channel.pipeline(), ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                        ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, bff.dataPath());
            }
        }
    }
}
