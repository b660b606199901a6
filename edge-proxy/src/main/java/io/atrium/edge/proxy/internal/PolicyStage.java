package io.atrium.edge.proxy.internal;

import java.util.concurrent.CompletionStage;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.PolicyChain;
import io.atrium.edge.proxy.CorsRule;
import io.atrium.edge.proxy.Route;
import io.atrium.policy.Decision;
import io.atrium.policy.Identity;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.error.ProblemTypes;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The policy phase of a {@link ClientConnection}'s exchange: HTTPS redirects, CORS answers, the route's policy chain
 * (auth, rate limit, identity) and its decision, synchronous or completed later on the connection's loop. State lives
 * on the connection (one exchange state machine on one event loop); this class holds the phase's steps.
 */
final class PolicyStage {

    private final ClientConnection c;

    PolicyStage(ClientConnection c) {
        this.c = c;
    }

    /**
     * Strips client-sent identity headers and runs the route's policy chain: a synchronous decision continues (or
     * answers) at once; a pending one pauses reading the client and continues on the connection's loop.
     */
    void run(HttpRequest request) {
        ProxyHeaders.stripInternal(request.headers());
        PolicyChain chain = c.route.policies();
        if (chain != null) {
            CompletionStage<Decision> stage = chain.evaluate(
                    PolicyContext.of(new NettyPolicyRequest(request, c.target, c.clientAddress, c.route.name()), c.requestId));
            Decision now = Decision.now(stage);
            if (now == null) {
                c.awaitingPolicy = true;
                int forExchange = c.exchange;
                stage.whenComplete((decision, failure) -> c.ch.eventLoop().execute(() -> onDecisionEvent(forExchange, decision, failure)));
                c.updateClientRead();
                return;
            }
            if (!apply(now, !c.bodyless)) {
                return;
            }
        }
        c.upstreamSide.forward();
    }

    /** 308 to the same target on the HTTPS listener, for routes that only serve HTTPS. */
    void redirectToHttps(HttpRequest request) {
        String host = RequestTargets.hostWithoutPort(request.headers().get(HttpHeaderNames.HOST));
        if (host == null) {
            c.reply(ProblemTypes.BAD_REQUEST, "Route " + c.route.name() + " is served over HTTPS only, and the request has no usable Host header to redirect to.", !c.bodyless);
            return;
        }
        int port = c.dataPath.httpsRedirectPort();
        String location = "https://" + host + (port == 443 ? "" : ":" + port) + c.target;
        c.send(ProblemResponses.empty(HttpResponseStatus.PERMANENT_REDIRECT, List.of(new HttpHeader("Location", location)), c.requestId,
                !c.bodyless || !c.keepAlive, c.http11Client), !c.bodyless);
    }

    /** CORS: answers preflights (true) and remembers the headers for an allowed origin's actual request (false). */
    boolean answeredCors(HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return false;
        }
        CorsRule cors = c.route.cors();
        boolean allowed = cors.allowsOrigin(origin);
        String preflightMethod = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (!HttpMethod.OPTIONS.equals(request.method()) || preflightMethod == null) {
            if (allowed) {
                c.corsHeaders = cors.actualHeaders(origin);
            }
            return false;
        }
        if (!allowed || !cors.allowsPreflight(preflightMethod, request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS))) {
            c.reply(ProblemTypes.CORS_REJECTED, "Route " + c.route.name() + " does not allow origin " + origin + " with method "
                    + preflightMethod + " and the requested headers.", !c.bodyless);
            return true;
        }
        c.send(ProblemResponses.empty(HttpResponseStatus.NO_CONTENT, cors.preflightHeaders(origin), c.requestId, !c.bodyless || !c.keepAlive, c.http11Client),
                !c.bodyless);
        return true;
    }

    /** Applies a policy decision: true to go on upstream, false when the exchange was answered. */
    boolean apply(Decision decision, boolean closeOnReply) {
        if (decision instanceof Decision.Reply reply) {
            c.send(ProblemResponses.problem(reply.problem(), reply.headers(), c.corsHeaders, c.requestId, closeOnReply || !c.keepAlive, c.http11Client),
                    closeOnReply);
            return false;
        }
        Decision.Continue cont = (Decision.Continue) decision;
        List<HttpHeader> upstreamHeaders = cont.upstreamHeaders();
        if (!upstreamHeaders.isEmpty()) {
            if (upstreamHeaders != c.wireHeadersOf) {
                // Identity headers come as one cached list per identity: on a keep-alive connection the same client
                // sends the same token, so their wire form (names and the assertion as bytes) is made once.
                c.wireNames = new AsciiString[upstreamHeaders.size()];
                c.wireValues = new CharSequence[upstreamHeaders.size()];
                for (int i = 0; i < c.wireNames.length; i++) {
                    c.wireNames[i] = ProxyHeaders.wireName(upstreamHeaders.get(i).name());
                    c.wireValues[i] = ProxyHeaders.wireValue(upstreamHeaders.get(i).value());
                }
                c.wireHeadersOf = upstreamHeaders;
            }
            HttpHeaders headers = c.head.headers();
            for (int i = 0; i < c.wireNames.length; i++) {
                headers.set(c.wireNames[i], c.wireValues[i]);
            }
        }
        c.responseHeaders = cont.responseHeaders();
        c.identity = cont.identity();
        if (c.identity != null) {
            c.consumer = c.identity.consumer() != null ? c.identity.consumer() : c.identity.subject();
        }
        return true;
    }

    /** A pending decision arrived on the connection's loop: an event of its own, logged with the exchange's trace. */
    private void onDecisionEvent(int forExchange, Decision decision, Throwable failure) {
        c.logs.enter();
        try {
            onDecision(forExchange, decision, failure);
        } finally {
            c.logs.exit();
        }
    }

    void onDecision(int forExchange, Decision decision, Throwable failure) {
        if (forExchange != c.exchange || !c.inExchange || !c.awaitingPolicy || c.closing) {
            return;
        }
        c.awaitingPolicy = false;
        if (failure != null || decision == null) {
            c.reply(ProblemTypes.POLICY_FAILED, "A policy of route " + c.route.name() + " failed: " + ClientConnection.reason(failure) + ".", !c.requestComplete);
            return;
        }
        if (apply(decision, !c.requestComplete)) {
            c.upstreamSide.forward();
        }
    }
}
