package io.atrium.bff.web.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.graphql.config.GraphQLConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionConfigTest {
    private static final Map<String, Object> MINIMAL = Map.of("issuer", "http://127.0.0.1:9400/atrium",
            "client_id", "atrium-web", "redirect_uri", "http://127.0.0.1:8081/web/auth/callback");

    @Test
    void defaultsAreDocumentedOnes() {
        SessionConfig config = SessionConfig.read(MINIMAL, "session");
        assertThat(config.enabled()).isTrue();
        assertThat(config.scopes()).containsExactly("openid", "profile");
        assertThat(config.cookieName()).isEqualTo("__Host-atrium-session");
        assertThat(config.refreshBefore()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxLifetime()).isEqualTo(Duration.ofHours(8));
        assertThat(config.afterLoginPath()).isEqualTo("/web/");
        assertThat(config.clientSecret()).isNull();
        assertThat(config.redisUrl()).isNull();
    }

    @Test
    void anAbsentBlockOrEnabledFalseMeansNoSessions() {
        assertThat(SessionConfig.read(null, "session").enabled()).isFalse();
        assertThat(SessionConfig.read(Map.of("enabled", false), "session").enabled()).isFalse();
    }

    @Test
    void openidIsAlwaysRequested() {
        SessionConfig config = SessionConfig.read(with("scopes", List.of("profile", "email")), "session");
        assertThat(config.scopes()).containsExactly("openid", "profile", "email");
    }

    @Test
    void unknownKeysAndBadValuesFailWithTheirPath() {
        assertThatThrownBy(() -> SessionConfig.read(with("cookie_domain", "example.com"), "session"))
                .isInstanceOf(GraphQLConfigException.class).hasMessageContaining("session.cookie_domain");
        assertThatThrownBy(() -> SessionConfig.read(with("cookie_name", "atrium"), "session"))
                .hasMessageContaining("session.cookie_name").hasMessageContaining("__Host-");
        assertThatThrownBy(() -> SessionConfig.read(with("redirect_uri", "/web/auth/callback"), "session"))
                .hasMessageContaining("session.redirect_uri");
        assertThatThrownBy(() -> SessionConfig.read(with("after_login_path", "//evil.example/"), "session"))
                .hasMessageContaining("session.after_login_path");
        assertThatThrownBy(() -> SessionConfig.read(Map.of("client_id", "x"), "session"))
                .hasMessageContaining("session.issuer");
    }

    @Test
    void onlyPathsOnThisSiteAreReturnTargets() {
        assertThat(SessionConfig.isLocalPath("/web/products/1")).isTrue();
        assertThat(SessionConfig.isLocalPath("//evil.example/")).isFalse();
        assertThat(SessionConfig.isLocalPath("/\\evil.example")).isFalse();
        assertThat(SessionConfig.isLocalPath("https://evil.example/")).isFalse();
        assertThat(SessionConfig.isLocalPath(null)).isFalse();
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> map = new java.util.HashMap<>(MINIMAL);
        map.put(key, value);
        return map;
    }
}
