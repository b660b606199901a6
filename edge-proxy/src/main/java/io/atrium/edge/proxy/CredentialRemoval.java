package io.atrium.edge.proxy;

import io.atrium.policy.Identity;
import io.atrium.policy.auth.ApiKeyConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * What a route removes of the credential the edge verified before the request goes upstream ({@code auth.forward_credentials:
 * false}, the default): the upstream gets the edge's signed identity assertion instead of the client's secret. A bearer
 * token's {@code Authorization} header goes; an API key goes from its header and, when keys are also accepted there, its
 * query parameter. Built once per route at load.
 *
 * @param apiKeyHeader the API key header, or null when API keys are not configured
 * @param apiKeyQuery the API key query parameter, or null when keys are accepted in the header only
 */
public record CredentialRemoval(AsciiString apiKeyHeader, String apiKeyQuery) {

    /** For the gateway's API key set-up ({@code null} when API keys are not configured). */
    public static CredentialRemoval of(ApiKeyConfig apiKeys) {
        return apiKeys == null ? new CredentialRemoval(null, null)
                : new CredentialRemoval(AsciiString.cached(apiKeys.header()), apiKeys.queryParameter());
    }

    /** Removes the carriers of the credential that established {@code identity} from {@code headers}. */
    public void removeFrom(HttpHeaders headers, Identity.Method method) {
        if (method == Identity.Method.JWT) {
            headers.remove(HttpHeaderNames.AUTHORIZATION);
        } else if (method == Identity.Method.API_KEY && apiKeyHeader != null) {
            headers.remove(apiKeyHeader);
        }
    }

    /** The upstream target without the API key query parameter, when the identity came from an API key. */
    public String targetWithout(String upstreamTarget, Identity.Method method) {
        if (method != Identity.Method.API_KEY || apiKeyQuery == null || upstreamTarget.indexOf('?') < 0) {
            return upstreamTarget;
        }
        return QueryString.withoutParameter(upstreamTarget, apiKeyQuery);
    }
}
