package io.atrium.bff.web.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token handler against a real OpenID provider (mock-oauth2-server on a loopback port): authorization code with
 * PKCE, state and nonce, the session cookie, CSRF, refresh, logout, a forged state and an ended session.
 */
class SessionIT {
    static final String ISSUER_ID = "atrium";
    static MockOAuth2Server provider;
    private static BffWebUnderTest bff;

    @BeforeAll
    static void start() throws Exception {
        provider = new MockOAuth2Server();
        provider.start();
        // the provider's first answer (key generation, template engine) can take seconds on a busy machine
        new Browser().get(provider.wellKnownUrl(ISSUER_ID).toString());
        bff = BffWebUnderTest.start(block(""));
    }

    static String block(String extra) {
        return """
                  issuer: %s
                  client_id: atrium-web
                  client_secret: dev-secret
                  redirect_uri: http://127.0.0.1:%%PORT%%/web/auth/callback
                  post_logout_redirect_uri: http://127.0.0.1:%%PORT%%/web/
                  scopes: [openid, profile]
                %s""".formatted(provider.issuerUrl(ISSUER_ID), extra);
    }

    @AfterAll
    static void stop() {
        if (bff != null) {
            bff.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    /** Logs a browser in as {@code subject}, with an access token of {@code lifetimeSeconds}. */
    static Browser login(BffWebUnderTest bff, String subject, long lifetimeSeconds) throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of("atrium-api"),
                Map.of("scope", "openid profile"), lifetimeSeconds));
        Browser browser = new Browser();
        browser.providerPort = provider.baseUrl().port();
        HttpResponse<String> start = browser.get(bff.base + "/web/auth/login?return_to=/web/products/1");
        assertThat(start.statusCode()).isEqualTo(302);
        assertThat(browser.setCookieLines.get("__Host-atrium-login"))
                .contains("HttpOnly", "Secure", "SameSite=Lax", "Path=/").doesNotContain("Domain");
        HttpResponse<String> atProvider = browser.get(Browser.location(start));
        assertThat(atProvider.statusCode()).isEqualTo(302);
        HttpResponse<String> callback = browser.get(Browser.location(atProvider));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
        assertThat(Browser.location(callback)).isEqualTo("/web/products/1");
        assertThat(browser.cookies).containsKey("__Host-atrium-session").doesNotContainKey("__Host-atrium-login");
        return browser;
    }

    static Map<String, String> query(String uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = URI.create(uri).getRawQuery();
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    static String csrf(Browser browser, BffWebUnderTest bff) throws Exception {
        String body = browser.get(bff.base + "/web/auth/session").body();
        return body.replaceAll(".*\"csrf_token\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void theAuthorizationRequestUsesPkceStateAndNonceAndTheCookieIsHostOnlyHttpOnlyStrict() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> start = browser.get(bff.base + "/web/auth/login");
        Map<String, String> params = query(Browser.location(start));
        assertThat(Browser.location(start)).startsWith(provider.authorizationEndpointUrl(ISSUER_ID).toString());
        assertThat(params).containsEntry("response_type", "code").containsEntry("client_id", "atrium-web")
                .containsEntry("code_challenge_method", "S256").containsKeys("code_challenge", "state", "nonce");
        assertThat(params.get("scope").split(" ")).contains("openid", "profile");
        assertThat(browser.cookies.get("__Host-atrium-login")).isEqualTo(params.get("state"));

        Browser signedIn = login(bff, "alice", 3600);
        assertThat(signedIn.setCookieLines.get("__Host-atrium-session"))
                .contains("Path=/", "Secure", "HttpOnly", "SameSite=Strict").doesNotContain("Domain");
        assertThat(signedIn.get(bff.base + "/web/auth/session").body())
                .contains("\"authenticated\":true", "\"subject\":\"alice\"");
    }

    @Test
    void aSignedInBrowserIsForwardedWithItsAccessTokenAndAnotherIsAnonymous() throws Exception {
        Browser browser = login(bff, "bob", 3600);
        String[] caller = browser.get(bff.base + "/web/graphql/_caller").body().split("\n");
        assertThat(caller[0]).isEqualTo("authenticated bob");
        SignedJWT token = SignedJWT.parse(caller[1].substring("Bearer ".length()));
        assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("bob");
        assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(provider.issuerUrl(ISSUER_ID).toString());
        assertThat(token.getJWTClaimsSet().getAudience()).containsExactly("atrium-api");
        // the token never reaches the browser: nothing but the opaque cookie was set
        assertThat(browser.cookies.get("__Host-atrium-session")).doesNotContain(".").hasSizeLessThan(50);

        assertThat(new Browser().get(bff.base + "/web/graphql/_caller").body()).isEqualTo("anonymous\n");
    }

    @Test
    void aStateChangingRequestNeedsTheSessionsCsrfToken() throws Exception {
        Browser browser = login(bff, "carol", 3600);
        HttpResponse<String> without = browser.post(bff.base + "/web/graphql/_caller", "{}", "Content-Type", "application/json");
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(without.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(without.body()).contains("\"code\":\"csrf_token_invalid\"");
        HttpResponse<String> wrong = browser.post(bff.base + "/web/graphql/_caller", "{}", "Content-Type", "application/json",
                "X-CSRF-Token", "guessed");
        assertThat(wrong.statusCode()).isEqualTo(403);

        HttpResponse<String> with = browser.post(bff.base + "/web/graphql/_caller", "{}", "Content-Type", "application/json",
                "X-CSRF-Token", csrf(browser, bff));
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).startsWith("authenticated carol");
    }

    @Test
    void anAccessTokenNearItsExpiryIsRefreshedWithTheRefreshToken() throws Exception {
        // 30 s left is inside the default 60 s refresh margin: the next request refreshes first
        Browser browser = login(bff, "dave", 30);
        HttpResponse<String> firstResponse = browser.get(bff.base + "/web/graphql/_caller");
        String firstBody = firstResponse.body();
        assertThat(firstBody).as(firstResponse.statusCode() + " " + firstResponse.headers().map()).startsWith("authenticated dave\nBearer ");
        String secondBody = browser.get(bff.base + "/web/graphql/_caller").body();
        assertThat(secondBody).startsWith("authenticated dave\nBearer ");
        String first = firstBody.split("\n")[1];
        String second = secondBody.split("\n")[1];
        assertThat(second).isNotEqualTo(first);
        SignedJWT refreshed = SignedJWT.parse(second.substring("Bearer ".length()));
        assertThat(refreshed.getJWTClaimsSet().getIssuer()).isEqualTo(provider.issuerUrl(ISSUER_ID).toString());
        assertThat(browser.get(bff.base + "/web/auth/session").body()).contains("\"authenticated\":true");
    }

    @Test
    void logoutEndsTheSessionHereAndSendsTheBrowserToTheProvidersEndSession() throws Exception {
        Browser browser = login(bff, "erin", 3600);
        String token = csrf(browser, bff);
        assertThat(browser.post(bff.base + "/web/auth/logout", "").statusCode()).isEqualTo(403);
        String cookie = browser.cookies.get("__Host-atrium-session");

        HttpResponse<String> logout = browser.post(bff.base + "/web/auth/logout", "", "X-CSRF-Token", token);
        assertThat(logout.statusCode()).isEqualTo(200);
        String redirect = logout.body().replaceAll(".*\"redirect\":\"([^\"]+)\".*", "$1");
        assertThat(redirect).startsWith(provider.endSessionEndpointUrl(ISSUER_ID).toString());
        assertThat(query(redirect)).containsKey("id_token_hint")
                .containsEntry("post_logout_redirect_uri", bff.base + "/web/");
        assertThat(browser.cookies).doesNotContainKey("__Host-atrium-session");

        Browser replay = new Browser();
        replay.cookies.put("__Host-atrium-session", cookie);
        assertThat(replay.get(bff.base + "/web/graphql/_caller").body()).isEqualTo("anonymous\n");
        assertThat(replay.setCookieLines.get("__Host-atrium-session")).contains("Max-Age=0");
    }

    @Test
    void aCallbackWithAForgedOrReplayedStateIsRefused() throws Exception {
        Browser victim = new Browser();
        victim.providerPort = provider.baseUrl().port();
        HttpResponse<String> start = victim.get(bff.base + "/web/auth/login");
        String atProvider = Browser.location(victim.get(Browser.location(start)));
        Map<String, String> callback = query(atProvider);

        // an attacker's callback (its own code and state) in the victim's browser
        Browser attacker = new Browser();
        attacker.providerPort = victim.providerPort;
        String attackerCallback = Browser.location(attacker.get(Browser.location(attacker.get(bff.base + "/web/auth/login"))));
        HttpResponse<String> forged = victim.get(attackerCallback);
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("\"code\":\"login_state_invalid\"");
        assertThat(victim.cookies).doesNotContainKey("__Host-atrium-session");

        // no login cookie at all
        HttpResponse<String> bare = new Browser().get(atProvider);
        assertThat(bare.statusCode()).isEqualTo(400);

        // the real callback works once, and only once
        assertThat(victim.get(atProvider).statusCode()).isEqualTo(302);
        victim.cookies.put("__Host-atrium-login", callback.get("state"));
        HttpResponse<String> replayed = victim.get(atProvider);
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("already used");
    }

    @Test
    void anEndedSessionIsAnonymousAndTheCookieIsCleared() throws Exception {
        try (BffWebUnderTest shortLived = BffWebUnderTest.start(block("  max_lifetime_seconds: 1\n"))) {
            Browser browser = login(shortLived, "frank", 3600);
            assertThat(browser.get(shortLived.base + "/web/graphql/_caller").body()).startsWith("authenticated frank");
            long deadline = System.nanoTime() + 10_000_000_000L;
            String body;
            do {
                body = browser.get(shortLived.base + "/web/graphql/_caller").body();
            } while (!body.equals("anonymous\n") && System.nanoTime() < deadline);
            assertThat(body).isEqualTo("anonymous\n");
            assertThat(browser.cookies).doesNotContainKey("__Host-atrium-session");
        }
    }

    @Test
    void anUnknownCookieIsAnonymous() throws Exception {
        Browser browser = new Browser();
        browser.cookies.put("__Host-atrium-session", "made-up");
        assertThat(browser.get(bff.base + "/web/graphql/_caller").body()).isEqualTo("anonymous\n");
        assertThat(browser.get(bff.base + "/web/auth/session").body()).contains("\"authenticated\":false");
        assertThat(Arrays.asList(browser.cookies.keySet().toArray())).isEmpty();
    }
}
