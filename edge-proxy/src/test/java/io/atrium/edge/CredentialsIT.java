package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.TestUpstream;
import io.atrium.edge.testing.TokenIssuer;
import io.atrium.edge.testing.TwoProtocols;
import io.atrium.edge.testing.TwoProtocols.Protocol;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials stay at the edge: the credential the edge verified never reaches the upstream (nor the mirror) unless the
 * route says {@code forward_credentials: true}; the upstream gets the signed identity instead. HTTP/1.1 and HTTP/2.
 */
class CredentialsIT {

    private static final String KEY = "credentials-it-key-0123456789";

    private static TokenIssuer issuer;
    private static TestUpstream upstream;
    private static TestUpstream shadow;
    private static TwoProtocols protocols;
    private static Edge edge;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TokenIssuer();
        upstream = new TestUpstream();
        shadow = new TestUpstream();
        protocols = new TwoProtocols();
        edge = Edge.start("""
                format_version: 1
                %s
                auth:
                  jwt: { issuers: [ "%s" ], audiences: [ "%s" ], jwks_url: "%s" }
                  api_keys:
                    query_parameter: api_key
                    consumers: [ { name: partner, key_sha256: "%s" } ]
                clusters:
                  echo: { endpoints: [ "%s" ] }
                  shadow: { endpoints: [ "%s" ] }
                routes:
                  - name: kept-at-edge
                    match: { path_prefix: /orders }
                    cluster: echo
                  - name: forwarded
                    match: { path_prefix: /legacy }
                    cluster: echo
                    auth: { forward_credentials: true }
                  - name: mirrored
                    match: { path_prefix: /mirrored }
                    cluster: echo
                    mirror: { cluster: shadow }
                  - name: public
                    match: { path_prefix: /open }
                    cluster: echo
                    auth: { public: true }
                """.formatted(protocols.listeners(), TokenIssuer.ISSUER, TokenIssuer.AUDIENCE, issuer.jwksUrl(),
                ApiKeyAuthenticator.digestHex(KEY), upstream.url(), shadow.url()));
        protocols.use(edge);
    }

    @AfterAll
    static void stop() throws Exception {
        edge.close();
        protocols.close();
        upstream.close();
        shadow.close();
        issuer.close();
    }

    @BeforeEach
    void clear() {
        upstream.clear();
        shadow.clear();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void verifiedApiKeyIsRemovedFromHeaderAndQuery(Protocol protocol) throws Exception {
        HttpResponse<String> byHeader = protocols.send(protocol, protocols.request(protocol, "/orders/1?x=1").header("X-API-Key", KEY));
        assertThat(byHeader.statusCode()).isEqualTo(200);
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.header("x-api-key")).isNull();
        assertThat(seen.header("x-atrium-consumer")).isEqualTo("partner");
        assertThat(seen.header("x-atrium-assertion")).isNotBlank();
        assertThat(seen.uri()).isEqualTo("/orders/1?x=1");

        HttpResponse<String> byQuery = protocols.send(protocol, protocols.request(protocol, "/orders/2?a=1&api_key=" + KEY + "&b=2"));
        assertThat(byQuery.statusCode()).isEqualTo(200);
        seen = upstream.takeRequest();
        assertThat(seen.uri()).isEqualTo("/orders/2?a=1&b=2");
        assertThat(seen.header("x-atrium-consumer")).isEqualTo("partner");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void verifiedBearerTokenIsRemoved(Protocol protocol) throws Exception {
        String token = issuer.token("user-7", "orders:read");
        HttpResponse<String> response = protocols.send(protocol, protocols.request(protocol, "/orders/3")
                .header("Authorization", "Bearer " + token));

        assertThat(response.statusCode()).isEqualTo(200);
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.header("authorization")).isNull();
        assertThat(seen.header("x-atrium-subject")).isEqualTo("user-7");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void forwardCredentialsKeepsThem(Protocol protocol) throws Exception {
        String token = issuer.token("user-8", "orders:read");
        protocols.send(protocol, protocols.request(protocol, "/legacy/a").header("Authorization", "Bearer " + token));
        assertThat(upstream.takeRequest().header("authorization")).isEqualTo("Bearer " + token);

        protocols.send(protocol, protocols.request(protocol, "/legacy/b?api_key=" + KEY).header("X-API-Key", KEY));
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.header("x-api-key")).isEqualTo(KEY);
        assertThat(seen.uri()).isEqualTo("/legacy/b?api_key=" + KEY);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void mirroredCopyCarriesNoCredentialEither(Protocol protocol) throws Exception {
        HttpResponse<String> response = protocols.send(protocol, protocols.request(protocol, "/mirrored/x").header("X-API-Key", KEY));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.takeRequest().header("x-api-key")).isNull();
        TestUpstream.Recorded copy = shadow.takeRequest();
        assertThat(copy.uri()).isEqualTo("/mirrored/x");
        assertThat(copy.header("x-api-key")).isNull();
        assertThat(copy.header("x-atrium-consumer")).isEqualTo("partner");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void publicRoutesForwardWhatTheEdgeDidNotVerify(Protocol protocol) throws Exception {
        protocols.send(protocol, protocols.request(protocol, "/open/x").header("Authorization", "Basic dXNlcjpwdw==").header("X-API-Key", "not-checked"));
        TestUpstream.Recorded seen = upstream.takeRequest();
        assertThat(seen.header("authorization")).isEqualTo("Basic dXNlcjpwdw==");
        assertThat(seen.header("x-api-key")).isEqualTo("not-checked");
    }
}
