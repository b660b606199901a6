package io.atrium.edge;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * Admin port: the public keys of the internal identity assertion, for BFFs, the router and services to verify
 * {@code X-Atrium-Assertion} with. Public by design (public keys), also when the admin API is token-protected.
 */
@Controller("/.well-known/jwks.json")
final class JwksController {

    static final String JWK_SET_JSON = "application/jwk-set+json";

    private final EdgeDataPlane dataPlane;

    JwksController(EdgeDataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Get(produces = JWK_SET_JSON)
    HttpResponse<String> jwks() {
        return HttpResponse.ok(dataPlane.assertionJwks()).header("Cache-Control", "max-age=300");
    }
}
