package io.atrium.policy.auth;

import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.Identity;
import io.atrium.policy.Policy;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.error.ProblemTypes;
import io.atrium.policy.PolicyRequest;
import io.atrium.policy.error.Problem;
import io.atrium.policy.error.ProblemType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates a request by bearer JWT or API key and authorizes it against the route's required scopes and roles.
 * Answers 401 with an RFC 6750 {@code WWW-Authenticate} challenge when credentials are missing or invalid, and 403
 * ({@code insufficient_scope}) when they lack a required scope or role.
 *
 * <p>Outcomes: {@code public}, {@code authenticated}, {@code missing_credentials}, {@code invalid_token},
 * {@code invalid_api_key}, {@code insufficient_scope}.
 */
public final class AuthPolicy implements Policy {

    public static final String NAME = "auth";
    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";

    private static final Decision.Continue PUBLIC = Decision.proceed("public");
    private static final CompletionStage<Decision> PUBLIC_STAGE = Decision.completed(PUBLIC);

    private final RouteAccess.Authenticated access;
    private final JwtVerifier jwt;
    private final ApiKeyAuthenticator apiKeys;
    private final String scheme;
    private final String realm;
    private final List<HttpHeader> missingChallenge;

    AuthPolicy(RouteAccess access, Authenticators authenticators) {
        this.access = access instanceof RouteAccess.Authenticated a ? a : null;
        this.realm = authenticators.realm();
        if (this.access == null) {
            jwt = null;
            apiKeys = null;
            scheme = null;
            missingChallenge = List.of();
            return;
        }
        this.jwt = this.access.accepts(RouteAccess.Credential.JWT) ? authenticators.jwt() : null;
        this.apiKeys = this.access.accepts(RouteAccess.Credential.API_KEY) ? authenticators.apiKeys() : null;
        if (jwt == null && apiKeys == null) {
            throw new IllegalArgumentException("auth: the route accepts " + this.access.credentials()
                    + " but none of them is configured; configure jwt or api_keys, or make the route public explicitly");
        }
        this.scheme = jwt != null ? "Bearer" : "ApiKey";
        this.missingChallenge = List.of(new HttpHeader(WWW_AUTHENTICATE, scheme + " realm=\"" + realm + "\""));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<Decision> evaluate(PolicyContext context) {
        if (access == null) {
            return PUBLIC_STAGE;
        }
        PolicyRequest request = context.request();
        String token = jwt == null ? null : bearerToken(request.header("Authorization"));
        if (token != null) {
            CompletionStage<JwtResult> verdict = jwt.verify(token);
            if (verdict instanceof CompletableFuture<JwtResult> done && done.isDone() && !done.isCompletedExceptionally()) {
                return Decision.completed(decide(done.getNow(null), context));
            }
            return verdict.thenApply(result -> decide(result, context));
        }
        String key = apiKeys == null ? null : apiKey(request);
        if (key != null) {
            Identity identity = apiKeys.authenticate(key);
            if (identity == null) {
                String description = "The API key is not valid.";
                return Decision.completed(reply(context, "invalid_api_key", ProblemTypes.UNAUTHENTICATED, description,
                        challenge("invalid_token", description, null)));
            }
            return Decision.completed(authorize(identity, context));
        }
        return Decision.completed(reply(context, "missing_credentials", ProblemTypes.UNAUTHENTICATED,
                "This route needs credentials: " + (jwt != null ? "a bearer token in the Authorization header" : "")
                        + (jwt != null && apiKeys != null ? " or " : "")
                        + (apiKeys != null ? "an API key in the " + apiKeys.config().header() + " header" : "") + ".",
                missingChallenge));
    }

    private Decision decide(JwtResult result, PolicyContext context) {
        return switch (result) {
            case JwtResult.Valid valid -> authorize(valid.identity(), context);
            case JwtResult.Invalid invalid -> reply(context, "invalid_token", ProblemTypes.UNAUTHENTICATED,
                    invalid.description(), challenge("invalid_token", invalid.description(), null));
        };
    }

    private Decision authorize(Identity identity, PolicyContext context) {
        if (identity.hasScopes(access.requiredScopes()) && identity.hasRoles(access.requiredRoles())) {
            return new Decision.Continue("authenticated", identity, List.of(), List.of());
        }
        String description = "This route needs scopes " + access.requiredScopes() + " and roles " + access.requiredRoles() + ".";
        return reply(context, "insufficient_scope", ProblemTypes.FORBIDDEN, description,
                challenge("insufficient_scope", description, String.join(" ", access.requiredScopes())));
    }

    private List<HttpHeader> challenge(String error, String description, String scope) {
        StringBuilder value = new StringBuilder(64).append(scheme).append(" realm=\"").append(realm)
                .append("\", error=\"").append(error).append("\", error_description=\"");
        appendQuotable(value, description);
        value.append('"');
        if (scope != null && !scope.isEmpty()) {
            value.append(", scope=\"");
            appendQuotable(value, scope);
            value.append('"');
        }
        return List.of(new HttpHeader(WWW_AUTHENTICATE, value.toString()));
    }

    /** RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E inside the quoted values; anything else becomes '?'. */
    private static void appendQuotable(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
    }

    private static Decision reply(PolicyContext context, String outcome, ProblemType type, String detail, List<HttpHeader> headers) {
        Problem problem = Problem.of(type, detail, context.request().path(), context.requestId());
        return new Decision.Reply(outcome, problem, headers);
    }

    private String apiKey(PolicyRequest request) {
        String key = request.header(apiKeys.config().header());
        if (key == null && apiKeys.config().queryParameter() != null) {
            key = request.queryParameter(apiKeys.config().queryParameter());
        }
        return key == null || key.isEmpty() ? null : key;
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), else null. */
    static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }
}
