package io.atrium.bff.web.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Sessions in a real Redis (redis-server on a random port) shared by two bff-web instances: a login started on one
 * completes on the other, the session works on both, and a logout on one ends it everywhere.
 */
class RedisSessionIT {
    private static RedisServer redis;
    private static BffWebUnderTest first;
    private static BffWebUnderTest second;

    @BeforeAll
    static void start() throws Exception {
        int port = BffWebUnderTest.freePort();
        redis = RedisServer.builder().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
        redis.start();
        SessionIT.provider = new MockOAuth2Server();
        SessionIT.provider.start();
        new Browser().get(SessionIT.provider.wellKnownUrl(SessionIT.ISSUER_ID).toString());
        // both instances answer for the same site: one redirect_uri (the first's), as behind one load balancer
        int firstPort = BffWebUnderTest.freePort();
        String block = SessionIT.block("  redis_url: redis://127.0.0.1:" + port + "\n").replace("%PORT%", String.valueOf(firstPort));
        first = BffWebUnderTest.start(block, firstPort);
        second = BffWebUnderTest.start(block);
    }

    @AfterAll
    static void stop() {
        for (BffWebUnderTest bff : new BffWebUnderTest[] {first, second}) {
            if (bff != null) {
                bff.close();
            }
        }
        if (SessionIT.provider != null) {
            SessionIT.provider.shutdown();
        }
        if (redis != null && redis.isActive()) {
            redis.stop();
        }
    }

    @Test
    void aSessionStartedOnOneInstanceWorksOnTheOtherAndEndsEverywhere() throws Exception {
        Browser browser = SessionIT.login(first, "grace", 3600);
        assertThat(browser.get(second.base + "/web/graphql/_caller").body()).startsWith("authenticated grace\nBearer ");
        assertThat(browser.get(first.base + "/web/graphql/_caller").body()).startsWith("authenticated grace\nBearer ");

        String csrf = SessionIT.csrf(browser, second);
        String cookie = browser.cookies.get("__Host-atrium-session");
        HttpResponse<String> logout = browser.post(second.base + "/web/auth/logout", "", "X-CSRF-Token", csrf);
        assertThat(logout.statusCode()).isEqualTo(200);

        Browser replay = new Browser();
        replay.cookies.put("__Host-atrium-session", cookie);
        assertThat(replay.get(first.base + "/web/graphql/_caller").body()).isEqualTo("anonymous\n");
    }

    @Test
    void aLoginStateIsGoodOnceAcrossInstances() throws Exception {
        Browser browser = new Browser();
        browser.providerPort = SessionIT.provider.baseUrl().port();
        HttpResponse<String> start = browser.get(second.base + "/web/auth/login");
        String callback = Browser.location(browser.get(Browser.location(start)));
        String state = browser.cookies.get("__Host-atrium-login");
        // the provider sends the browser to the first instance's redirect_uri
        assertThat(browser.get(callback).statusCode()).isEqualTo(302);
        browser.cookies.put("__Host-atrium-login", state);
        String onSecond = callback.replace(first.base, second.base);
        assertThat(browser.get(onSecond).statusCode()).isEqualTo(400);
    }
}
