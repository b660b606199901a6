package io.atrium.router.http;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.http.LingeringClose;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Aggregates request bodies up to the endpoint's {@code max_request_bytes}; a larger one (declared or streamed) is
 * answered 413 with a GraphQL error ({@code PAYLOAD_TOO_LARGE}) instead of Netty's empty 413, and the connection is
 * closed lingering ({@link LingeringClose}): the rest of the body is discarded, never parsed.
 */
final class BodyLimit extends HttpObjectAggregator {
    private final int maxBytes;

    BodyLimit(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        byte[] body = ("{\"errors\":[{\"message\":\"The request body exceeds " + maxBytes
                + " bytes.\",\"extensions\":{\"code\":\"" + GraphQLErrorCodes.PAYLOAD_TOO_LARGE + "\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        LingeringClose.answerAndClose(ctx, response);
    }
}
