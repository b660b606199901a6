package io.atrium.policy.resilience;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A cluster's endpoints and the snapshot of the available ones, rebuilt when availability changes. */
final class EndpointSet {

    private final List<ClusterEndpoint> all;
    private final Candidates allCandidates;
    private volatile Candidates available;

    EndpointSet(List<ClusterEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one endpoint");
        }
        Set<String> ids = new HashSet<>();
        for (ClusterEndpoint endpoint : endpoints) {
            if (!ids.add(endpoint.id())) {
                throw new IllegalArgumentException("duplicate endpoint " + endpoint.id());
            }
        }
        this.all = List.copyOf(endpoints);
        this.allCandidates = new Candidates(all);
        this.available = allCandidates;
    }

    List<ClusterEndpoint> all() {
        return all;
    }

    Candidates allCandidates() {
        return allCandidates;
    }

    Candidates available() {
        return available;
    }

    /** Called after an endpoint's health or ejection changed (rare): republish the snapshot. */
    synchronized void refresh() {
        List<ClusterEndpoint> up = new ArrayList<>(all.size());
        for (ClusterEndpoint endpoint : all) {
            if (endpoint.available()) {
                up.add(endpoint);
            }
        }
        available = up.size() == all.size() ? allCandidates : new Candidates(up);
    }
}
