package io.atrium.bff.web.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo page: served from bff-web itself with a strict CSP, its script using only the session and GraphQL paths. */
class DemoPageIT {
    private static BffWebUnderTest bff;

    @BeforeAll
    static void start() throws Exception {
        bff = BffWebUnderTest.start("  enabled: false\n");
    }

    @AfterAll
    static void stop() {
        if (bff != null) {
            bff.close();
        }
    }

    @Test
    void thePageAndItsScriptAreServedWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = new Browser().get(bff.base + "/web/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).get().asString().startsWith("text/html");
        assertThat(page.headers().firstValue("content-security-policy")).get().asString()
                .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(page.body()).contains("<script src=\"/web/app.js\" defer></script>", "data-testid=\"product-name\"");

        HttpResponse<String> script = new Browser().get(bff.base + "/web/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("content-type")).get().asString().startsWith("text/javascript");
        assertThat(script.body()).contains("productPage(upc: $upc)", "/web/auth/session", "X-CSRF-Token")
                .doesNotContain("innerHTML");
    }

    @Test
    void withoutSessionsThePageSaysLoginIsOffAndLoginIsAProblem() throws Exception {
        assertThat(new Browser().get(bff.base + "/web/auth/session").body())
                .isEqualTo("{\"authenticated\":false,\"login_enabled\":false}");
        HttpResponse<String> login = new Browser().get(bff.base + "/web/auth/login");
        assertThat(login.statusCode()).isEqualTo(501);
        assertThat(login.body()).contains("\"code\":\"sessions_disabled\"");
    }
}
