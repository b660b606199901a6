package io.atrium.graphql.authz;

import graphql.language.Document;
import java.util.List;

/**
 * What authorization made of an operation.
 *
 * @param document  the document to plan: the original when nothing was removed or in dry-run mode, otherwise a copy
 *                  without the unauthorized fields (fragments inlined)
 * @param removals  what was removed (empty in dry run: reported in the log and counter only)
 * @param signature a stable text of the removed paths, for the plan cache key (never the identity); empty = none
 * @param rejected  true when the config refuses such operations whole ({@code reject_unauthorized})
 */
public record AuthorizationResult(Document document, List<Removal> removals, String signature, boolean rejected) {
    public AuthorizationResult {
        removals = List.copyOf(removals);
    }

    public boolean filtered() {
        return !removals.isEmpty() && !rejected;
    }
}
