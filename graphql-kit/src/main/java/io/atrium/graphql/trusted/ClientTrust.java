package io.atrium.graphql.trusted;

import java.nio.file.Path;
import java.util.List;

/**
 * One client's trusted documents.
 *
 * @param mode      how unknown operations are treated
 * @param manifests Apollo persisted-query manifests or Relay id→text maps (detected per file)
 */
public record ClientTrust(TrustMode mode, List<Path> manifests) {
    public ClientTrust {
        manifests = List.copyOf(manifests);
    }

    ClientTrust resolveAgainst(Path dir) {
        return new ClientTrust(mode, manifests.stream().map(dir::resolve).map(Path::normalize).toList());
    }
}
