package io.atrium.bff.web.session;

import io.atrium.graphql.config.ConfigMaps;
import io.atrium.graphql.config.GraphQLConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code session} block of bff-web: browser sessions in the token-handler pattern.
 *
 * <pre>
 * session:
 *   enabled: true                 # default true; false: no login, every request is anonymous
 *   issuer: http://127.0.0.1:9400/atrium        # required: the OpenID provider (discovery at /.well-known/openid-configuration)
 *   client_id: atrium-web                       # required
 *   client_secret: ...                          # confidential client (client_secret_basic); default absent: public client, PKCE only
 *   redirect_uri: http://127.0.0.1:8081/web/auth/callback   # required: where the provider sends the browser back
 *   post_logout_redirect_uri: http://127.0.0.1:8081/web/    # default absent (the provider's own page)
 *   scopes: [openid, profile]     # default [openid, profile]; openid is always sent
 *   after_login_path: /web/       # default /web/: where the browser lands when login gave no return_to
 *   cookie_name: __Host-atrium-session          # default; must start with __Host- (Secure, Path=/, no Domain)
 *   refresh_before_seconds: 60    # refresh the access token this long before it expires; default 60
 *   max_lifetime_seconds: 28800   # a session ends this long after login, whatever the refreshes; default 28800 (8 h)
 *   login_timeout_seconds: 600    # a started login must come back within this; default 600
 *   redis_url: redis://redis:6379 # sessions in Redis, shared by every instance; default absent (in memory)
 * </pre>
 */
public record SessionConfig(boolean enabled, URI issuer, String clientId, String clientSecret, URI redirectUri,
                            URI postLogoutRedirectUri, List<String> scopes, String afterLoginPath, String cookieName,
                            Duration refreshBefore, Duration maxLifetime, Duration loginTimeout, String redisUrl) {
    public static final String LOGIN_COOKIE = "__Host-atrium-login";
    private static final Set<String> KEYS = Set.of("enabled", "issuer", "client_id", "client_secret", "redirect_uri",
            "post_logout_redirect_uri", "scopes", "after_login_path", "cookie_name", "refresh_before_seconds",
            "max_lifetime_seconds", "login_timeout_seconds", "redis_url");

    public static final SessionConfig DISABLED = new SessionConfig(false, null, null, null, null, null,
            List.of("openid", "profile"), "/web/", "__Host-atrium-session", Duration.ofSeconds(60),
            Duration.ofHours(8), Duration.ofMinutes(10), null);

    public SessionConfig {
        scopes = List.copyOf(scopes);
    }

    public static SessionConfig read(Object value, String path) {
        if (value == null) {
            return DISABLED;
        }
        Map<String, Object> block = ConfigMaps.map(value, path);
        ConfigMaps.checkKeys(block, KEYS, path);
        if (!ConfigMaps.bool(block, "enabled", true, path)) {
            return DISABLED;
        }
        URI issuer = absoluteUri(block, "issuer", true, path);
        String clientId = required(block, "client_id", path);
        String clientSecret = ConfigMaps.string(block, "client_secret", null, path);
        URI redirectUri = absoluteUri(block, "redirect_uri", true, path);
        URI postLogout = absoluteUri(block, "post_logout_redirect_uri", false, path);
        List<String> scopes = scopes(block.get("scopes"), path + ".scopes");
        String afterLogin = ConfigMaps.string(block, "after_login_path", DISABLED.afterLoginPath(), path);
        if (!isLocalPath(afterLogin)) {
            throw new GraphQLConfigException(path + ".after_login_path: expected a path on this site starting with /");
        }
        String cookieName = ConfigMaps.string(block, "cookie_name", DISABLED.cookieName(), path);
        if (!cookieName.startsWith("__Host-") || !cookieName.matches("[A-Za-z0-9_-]+")) {
            throw new GraphQLConfigException(path + ".cookie_name: expected a name starting with __Host- "
                    + "(letters, digits, '-' and '_'), got " + cookieName);
        }
        return new SessionConfig(true, issuer, clientId, clientSecret, redirectUri, postLogout, scopes, afterLogin,
                cookieName, seconds(block, "refresh_before_seconds", DISABLED.refreshBefore(), path),
                seconds(block, "max_lifetime_seconds", DISABLED.maxLifetime(), path),
                seconds(block, "login_timeout_seconds", DISABLED.loginTimeout(), path),
                ConfigMaps.string(block, "redis_url", null, path));
    }

    /** A same-site path: starts with one slash (never {@code //host} or a scheme), no backslash or control character. */
    public static boolean isLocalPath(String path) {
        return path != null && path.startsWith("/") && !path.startsWith("//") && path.chars().noneMatch(c -> c == '\\' || c < 0x20);
    }

    private static String required(Map<String, Object> block, String key, String path) {
        String value = ConfigMaps.string(block, key, null, path);
        if (value == null) {
            throw new GraphQLConfigException(path + "." + key + ": required");
        }
        return value;
    }

    private static URI absoluteUri(Map<String, Object> block, String key, boolean required, String path) {
        String text = required ? required(block, key, path) : ConfigMaps.string(block, key, null, path);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (uri.isAbsolute() && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new GraphQLConfigException(path + "." + key + ": expected an absolute http(s) URL, got " + text);
    }

    private static List<String> scopes(Object value, String path) {
        if (value == null) {
            return DISABLED.scopes();
        }
        if (!(value instanceof List<?> list)) {
            throw new GraphQLConfigException(path + ": expected a list of scope names");
        }
        List<String> scopes = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s) || s.isBlank() || s.contains(" ")) {
                throw new GraphQLConfigException(path + ": expected scope names without spaces, got " + item);
            }
            scopes.add(s);
        }
        if (!scopes.contains("openid")) {
            scopes.addFirst("openid");
        }
        return scopes;
    }

    private static Duration seconds(Map<String, Object> block, String key, Duration fallback, String path) {
        return Duration.ofSeconds(ConfigMaps.positiveInt(block, key, (int) fallback.toSeconds(), path));
    }
}
