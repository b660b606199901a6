package io.atrium.bff.web.session;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * The relying-party side of OpenID Connect for bff-web, on Nimbus' oauth2-oidc-sdk: discovery (lazy, retried until
 * it succeeds once), the authorization request with PKCE (S256), state and nonce, the code exchange, refresh, ID token
 * validation (signature from the provider's JWKS, issuer, audience, expiry, nonce) and RP-initiated logout.
 * Every method may block on the provider: callers run it off the event loop.
 */
public final class OidcClient {
    private static final int TIMEOUT_MILLIS = 10_000;
    /** Used when the token response has no expires_in: short, so the next request refreshes. */
    private static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(5);

    private final SessionConfig config;
    private final ClientID clientId;
    private final Clock clock;
    private volatile Provider provider;

    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    /** The provider refused or could not be reached; {@code code} is the OAuth error code or our own. */
    public static final class OidcException extends Exception {
        private final String code;

        public OidcException(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public OidcClient(SessionConfig config, Clock clock) {
        this.config = config;
        this.clientId = new ClientID(config.clientId());
        this.clock = clock;
    }

    private Provider provider() throws OidcException {
        Provider current = provider;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (provider == null) {
                provider = discover();
            }
            return provider;
        }
    }

    private Provider discover() throws OidcException {
        try {
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(config.issuer().toString()),
                    TIMEOUT_MILLIS, TIMEOUT_MILLIS);
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS)).build();
            IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), clientId,
                    new JWSVerificationKeySelector<>(signingAlgorithms(metadata.getIDTokenJWSAlgs()), keys), null);
            return new Provider(metadata, validator);
        } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
            throw new OidcException("provider_unavailable", "OpenID provider discovery failed for " + config.issuer()
                    + ": " + e.getMessage());
        }
    }

    /** The asymmetric algorithms the provider says it signs ID tokens with (RS256 when it says nothing). */
    private static Set<JWSAlgorithm> signingAlgorithms(List<JWSAlgorithm> advertised) {
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        if (advertised != null) {
            for (JWSAlgorithm algorithm : advertised) {
                if (JWSAlgorithm.Family.SIGNATURE.contains(algorithm)) {
                    algorithms.add(algorithm);
                }
            }
        }
        if (algorithms.isEmpty()) {
            algorithms.add(JWSAlgorithm.RS256);
        }
        return algorithms;
    }

    /** The provider's authorization endpoint with this login's parameters. */
    public URI authorizationUri(PendingLogin login) throws OidcException {
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(config.scopes().toArray(String[]::new)),
                clientId, config.redirectUri())
                .endpointURI(provider().metadata().getAuthorizationEndpointURI())
                .state(new State(login.state()))
                .nonce(new Nonce(login.nonce()))
                .codeChallenge(new CodeVerifier(login.codeVerifier()), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /** Exchanges the code (with the PKCE verifier) and validates the ID token against the login's nonce. */
    public Login exchange(String code, PendingLogin login) throws OidcException {
        Granted granted = tokenRequest(new AuthorizationCodeGrant(new AuthorizationCode(code), config.redirectUri(),
                new CodeVerifier(login.codeVerifier())));
        if (granted.idToken() == null) {
            throw new OidcException("invalid_id_token", "the token response has no ID token");
        }
        try {
            String subject = provider().validator().validate(granted.idToken(), new Nonce(login.nonce()))
                    .getSubject().getValue();
            return new Login(subject, toTokens(granted));
        } catch (com.nimbusds.jose.JOSEException | com.nimbusds.jose.proc.BadJOSEException e) {
            throw new OidcException("invalid_id_token", "the ID token is not valid: " + e.getMessage());
        }
    }

    /** A successful login: the ID token's subject and the tokens. */
    public record Login(String subject, OidcTokens tokens) {
    }

    public OidcTokens refresh(String refreshToken) throws OidcException {
        return toTokens(tokenRequest(new RefreshTokenGrant(new RefreshToken(refreshToken))));
    }

    /** A token endpoint's answer; the ID token is absent from most refresh responses. */
    private record Granted(Tokens tokens, JWT idToken) {
    }

    /** The provider's end-session URL for this ID token, when the provider has one. */
    public Optional<URI> endSessionUri(String idToken, String state) throws OidcException {
        URI endpoint = provider().metadata().getEndSessionEndpointURI();
        if (endpoint == null) {
            return Optional.empty();
        }
        JWT hint = null;
        try {
            hint = idToken == null ? null : JWTParser.parse(idToken);
        } catch (java.text.ParseException e) {
            // an unreadable hint is left out; the provider then asks the user
        }
        return Optional.of(new LogoutRequest(endpoint, hint, config.postLogoutRedirectUri(),
                config.postLogoutRedirectUri() == null ? null : new State(state)).toURI());
    }

    private Granted tokenRequest(AuthorizationGrant grant) throws OidcException {
        URI endpoint = provider().metadata().getTokenEndpointURI();
        TokenRequest request = config.clientSecret() == null
                ? new TokenRequest(endpoint, clientId, grant, null)
                : new TokenRequest(endpoint, new ClientSecretBasic(clientId, new Secret(config.clientSecret())), grant, null);
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(TIMEOUT_MILLIS);
        http.setReadTimeout(TIMEOUT_MILLIS);
        try {
            HTTPResponse response = http.send();
            TokenResponse parsed = OIDCTokenResponseParser.parse(response);
            if (parsed instanceof TokenErrorResponse error) {
                String code = error.getErrorObject().getCode();
                throw new OidcException(code == null ? "token_request_failed" : code,
                        "the provider refused the token request (HTTP " + response.getStatusCode() + ")");
            }
            AccessTokenResponse success = parsed.toSuccessResponse();
            JWT idToken = success instanceof OIDCTokenResponse oidc ? oidc.getOIDCTokens().getIDToken() : null;
            return new Granted(success.getTokens(), idToken);
        } catch (IOException e) {
            throw new OidcException("provider_unavailable", "the token endpoint could not be reached: " + e.getMessage());
        } catch (ParseException e) {
            throw new OidcException("invalid_token_response", "the token response could not be read: " + e.getMessage());
        }
    }

    private OidcTokens toTokens(Granted granted) {
        Tokens tokens = granted.tokens();
        long lifetime = tokens.getAccessToken().getLifetime();
        Duration expiresIn = lifetime > 0 ? Duration.ofSeconds(lifetime) : UNKNOWN_LIFETIME;
        RefreshToken refresh = tokens.getRefreshToken();
        return new OidcTokens(tokens.getAccessToken().getValue(), clock.instant().plus(expiresIn),
                refresh == null ? null : refresh.getValue(),
                granted.idToken() == null ? null : granted.idToken().serialize());
    }
}
