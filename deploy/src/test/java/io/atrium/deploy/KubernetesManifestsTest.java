package io.atrium.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay of deploy/kubernetes and checks every object against the Kubernetes API (fabric8's model:
 * a stable type for each kind, no field the API does not define), and against the deployables themselves: probes
 * on declared ports, the ports each deployable really listens on, every host a config file calls resolving to a
 * Service on that port, and network policies that let exactly the documented callers in.
 */
class KubernetesManifestsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path KUBE = ROOT.resolve("deploy/kubernetes");
    private static final Set<String> DEPLOYABLES = Set.of("edge-proxy", "federation-router", "bff-web", "bff-mobile");

    private record Rendered(List<Map<String, Object>> raw, List<KubernetesResource> typed) {
        <T> List<T> all(Class<T> type) {
            return typed.stream().filter(type::isInstance).map(type::cast).toList();
        }

        Deployment deployment(String name) {
            return all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no Deployment " + name));
        }

        Service service(String name) {
            return all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no Service " + name));
        }
    }

    private static Rendered render(String overlay) throws IOException {
        var raw = Kustomize.build(KUBE.resolve("overlays").resolve(overlay),
                Map.of("secrets.env", KUBE.resolve("overlays/local/secrets.env.example")));
        List<KubernetesResource> typed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (var object : raw) {
            KubernetesResource resource = Manifests.typed(object);
            unknown.addAll(Manifests.unknownFields(resource, object.get("kind") + "/" + Kustomize.name(object)));
            typed.add(resource);
        }
        assertEquals(List.of(), unknown, "fields the Kubernetes API does not define");
        return new Rendered(raw, typed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyDeployableHasProbesResourcesAndAnAutoscaler(String overlay) throws IOException {
        Rendered r = render(overlay);
        assertEquals(overlay.equals("local") ? 12 : 11, r.all(Deployment.class).size(),
                "4 deployables, 6 sample backends, Redis (and the local overlay's development OpenID provider)");
        for (Deployment d : r.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            assertEquals("atrium", d.getMetadata().getNamespace(), name);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertNotNull(c.getReadinessProbe(), name + " readiness");
            assertNotNull(c.getLivenessProbe(), name + " liveness");
            for (Probe probe : Stream.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())
                    .filter(p -> p != null).toList()) {
                IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                        : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort()
                        : probe.getGrpc() != null ? new IntOrString(probe.getGrpc().getPort()) : null;
                if (port != null) {
                    assertNotNull(containerPort(c, port), name + ": probe on undeclared port " + port);
                }
            }
            for (String resource : List.of("cpu", "memory")) {
                assertNotNull(c.getResources().getRequests().get(resource), name + " requests " + resource);
                assertNotNull(c.getResources().getLimits().get(resource), name + " limits " + resource);
            }
            assertEquals(Boolean.TRUE, d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), name);
            // the selector must select the template's pods
            d.getSpec().getSelector().getMatchLabels().forEach((k, v) ->
                    assertEquals(v, d.getSpec().getTemplate().getMetadata().getLabels().get(k), name + " selector " + k));
        }
        Set<String> scaled = new TreeSet<>();
        for (HorizontalPodAutoscaler hpa : r.all(HorizontalPodAutoscaler.class)) {
            r.deployment(hpa.getSpec().getScaleTargetRef().getName());
            scaled.add(hpa.getSpec().getScaleTargetRef().getName());
            assertTrue(hpa.getSpec().getMaxReplicas() >= hpa.getSpec().getMinReplicas());
        }
        assertEquals(new TreeSet<>(DEPLOYABLES), scaled);
        Set<String> budgeted = new TreeSet<>();
        for (PodDisruptionBudget pdb : r.all(PodDisruptionBudget.class)) {
            budgeted.addAll(selected(r, pdb.getSpec().getSelector().getMatchLabels()));
        }
        assertEquals(new TreeSet<>(DEPLOYABLES), budgeted);
        if (overlay.equals("production")) {
            r.all(HorizontalPodAutoscaler.class).forEach(h -> assertTrue(h.getSpec().getMinReplicas() >= 2,
                    h.getMetadata().getName() + ": production runs two or more"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void portsAndHostsMatchTheDeployablesRealConfig(String overlay) throws IOException {
        Rendered r = render(overlay);
        // each deployable listens where its application.yml (or route file) says, and is told so
        assertEquals(defaultPort("federation-router"), port(r.deployment("federation-router"), "http"));
        assertEquals(defaultPort("bff-web"), port(r.deployment("bff-web"), "http"));
        assertEquals(defaultPort("bff-mobile"), port(r.deployment("bff-mobile"), "http"));
        assertEquals(defaultPort("edge-proxy"), port(r.deployment("edge-proxy"), "admin"));
        String edgeConfig = Files.readString(ROOT.resolve("config/edge/compose.yaml"));
        assertEquals(listenerPort(edgeConfig, "http"), port(r.deployment("edge-proxy"), "http"));
        assertEquals(listenerPort(edgeConfig, "https"), port(r.deployment("edge-proxy"), "https"));
        for (Deployment d : r.all(Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
            EnvVar atriumPort = c.getEnv().stream().filter(e -> e.getName().equals("ATRIUM_PORT")).findFirst().orElse(null);
            if (atriumPort != null) {
                int declared = Integer.parseInt(atriumPort.getValue());
                assertTrue(c.getPorts().stream().anyMatch(p -> p.getContainerPort() == declared),
                        d.getMetadata().getName() + ": ATRIUM_PORT " + declared + " is not a container port");
            }
        }
        // every URL a config file calls is a Service port whose target is a port its pods declare
        List<URI> called = new ArrayList<>();
        if (overlay.equals("local")) { // production mounts the operator's route file from a Secret instead
            // an issuer is an identifier the tokens carry, not something the edge calls
            called.addAll(urls(edgeConfig.lines().filter(l -> !l.strip().startsWith("issuers:"))
                    .collect(java.util.stream.Collectors.joining("\n"))));
        }
        for (String config : List.of("config/router/compose.yaml", "config/router/transcoding-compose.yaml",
                "config/bff/compose-web.yaml", "config/bff/compose-mobile.yaml")) {
            called.addAll(urls(Files.readString(ROOT.resolve(config))));
        }
        called.addAll(urls(String.join("\n", r.deployment("federation-router").getSpec().getTemplate().getSpec()
                .getContainers().getFirst().getArgs())));
        assertTrue(called.size() >= 8, "found the config's upstream URLs: " + called);
        for (URI url : called) {
            Service service = r.service(url.getHost());
            var servicePort = service.getSpec().getPorts().stream().filter(p -> p.getPort() == url.getPort()).findFirst()
                    .orElseThrow(() -> new AssertionError(url + ": Service " + url.getHost() + " has no port " + url.getPort()));
            List<String> pods = selected(r, service.getSpec().getSelector());
            assertEquals(1, pods.size(), url + " selects " + pods);
            Container c = r.deployment(pods.getFirst()).getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertNotNull(containerPort(c, servicePort.getTargetPort()), url + ": target port not declared");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void onlyTheEdgeIsReachableFromOutsideAndTheRouterOnlyFromEdgeAndBffs(String overlay) throws IOException {
        Rendered r = render(overlay);
        Map<String, Set<String>> openTo = new java.util.TreeMap<>();
        for (NetworkPolicy policy : r.all(NetworkPolicy.class)) {
            Map<String, String> selector = policy.getSpec().getPodSelector().getMatchLabels();
            List<String> targets = selected(r, selector);
            if (selector == null || selector.isEmpty()) {
                assertTrue(policy.getSpec().getIngress() == null || policy.getSpec().getIngress().isEmpty(),
                        "the namespace-wide policy denies");
                continue;
            }
            assertEquals(1, targets.size(), policy.getMetadata().getName() + " selects " + targets);
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                for (var port : rule.getPorts()) {
                    Container c = r.deployment(targets.getFirst()).getSpec().getTemplate().getSpec().getContainers().getFirst();
                    assertNotNull(containerPort(c, port.getPort()), policy.getMetadata().getName() + ": port " + port.getPort());
                }
                Set<String> from = openTo.computeIfAbsent(targets.getFirst() + ":" + rule.getPorts().stream()
                        .map(p -> p.getPort().getStrVal()).toList(), x -> new TreeSet<>());
                if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                    from.add("*");
                } else {
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        String app = peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name");
                        from.add(peer.getNamespaceSelector() != null ? "other-namespace:" + app : app);
                    }
                }
            }
        }
        openTo.forEach((target, from) -> assertTrue(!from.contains("*") || target.startsWith("edge-proxy:[http, https]"),
                target + " is open to everyone"));
        assertEquals(Set.of("edge-proxy", "bff-web", "bff-mobile"), openTo.get("federation-router:[http]"));
        assertTrue(r.all(NetworkPolicy.class).stream().anyMatch(p -> p.getSpec().getPodSelector().getMatchLabels() == null
                        || p.getSpec().getPodSelector().getMatchLabels().isEmpty()),
                "a default-deny policy");
        for (Service service : r.all(Service.class)) {
            String type = service.getSpec().getType();
            if ("LoadBalancer".equals(type) || "NodePort".equals(type)) {
                assertEquals(List.of("edge-proxy"), selected(r, service.getSpec().getSelector()));
                assertTrue(service.getSpec().getPorts().stream().noneMatch(p -> "admin".equals(p.getTargetPort().getStrVal())),
                        "the admin port is never public");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void secretsComeFromSecretsNeverFromTheRepository(String overlay) throws IOException {
        Rendered r = render(overlay);
        List<Secret> secrets = r.all(Secret.class);
        assertEquals(overlay.equals("local") ? 1 : 0, secrets.size(), "production renders no Secret: the operator creates them");
        for (Deployment d : r.all(Deployment.class)) {
            for (EnvVar env : d.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv()) {
                if (env.getName().contains("TOKEN") || env.getName().contains("KEY")) {
                    assertNotNull(env.getValueFrom(), d.getMetadata().getName() + ": " + env.getName() + " from a Secret");
                    assertNotNull(env.getValueFrom().getSecretKeyRef());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"config/router.yaml:config/router/compose.yaml", "config/edge.yaml:config/edge/compose.yaml",
            "config/transcoding.yaml:config/router/transcoding-compose.yaml",
            "config/bff-web.yaml:config/bff/compose-web.yaml", "config/bff-mobile.yaml:config/bff/compose-mobile.yaml",
            "../overlays/local/dev-provider.json:config/oidc/dev-provider.json",
            "config/subgraphs/accounts.graphql:config/supergraph/subgraphs/accounts.graphql",
            "config/subgraphs/products.graphql:config/supergraph/subgraphs/products.graphql",
            "config/subgraphs/inventory.graphql:config/supergraph/subgraphs/inventory.graphql",
            "config/subgraphs/reviews.graphql:config/supergraph/subgraphs/reviews.graphql",
            "config/connectors/payments.grpc.yaml:config/connectors/payments.grpc.yaml",
            "config/connectors/payments.graphql:config/connectors/payments.graphql"})
    void theBasesConfigCopiesMatchTheRepositorysConfig(String pair) throws IOException {
        String[] paths = pair.split(":");
        assertEquals(Files.readString(ROOT.resolve(paths[1])), Files.readString(KUBE.resolve("base").resolve(paths[0])),
                "deploy/kubernetes/base/" + paths[0] + " drifted from " + paths[1] + ": copy it again");
    }

    private static List<String> selected(Rendered r, Map<String, String> labels) {
        if (labels == null) {
            return List.of();
        }
        return r.all(Deployment.class).stream().filter(d -> {
            Map<String, String> pod = d.getSpec().getTemplate().getMetadata().getLabels();
            return labels.entrySet().stream().allMatch(e -> e.getValue().equals(pod.get(e.getKey())));
        }).map(d -> d.getMetadata().getName()).toList();
    }

    private static ContainerPort containerPort(Container c, IntOrString port) {
        return c.getPorts().stream().filter(p -> port.getIntVal() != null ? p.getContainerPort().equals(port.getIntVal())
                : port.getStrVal().equals(p.getName())).findFirst().orElse(null);
    }

    private static int port(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts().stream()
                .filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + " has no port " + name)).getContainerPort();
    }

    /** The port a deployable's application.yml defaults to: {@code port: ${ATRIUM_PORT:4000}}. */
    private static int defaultPort(String module) throws IOException {
        String yml = Files.readString(ROOT.resolve(module).resolve("src/main/resources/application.yml"));
        Matcher m = Pattern.compile("port:\\s*\\$\\{ATRIUM_PORT:(\\d+)}").matcher(yml);
        assertTrue(m.find(), module + "'s application.yml names its port");
        return Integer.parseInt(m.group(1));
    }

    private static int listenerPort(String edgeConfig, String listener) {
        Matcher m = Pattern.compile("\\n  " + listener + ":\\n    port: (\\d+)").matcher(edgeConfig);
        assertTrue(m.find(), "edge listener " + listener);
        return Integer.parseInt(m.group(1));
    }

    private static List<URI> urls(String text) {
        List<URI> urls = new ArrayList<>();
        Matcher m = Pattern.compile("(?:https?|redis)://([a-z][a-z0-9-]*):(\\d+)").matcher(text);
        while (m.find()) {
            urls.add(URI.create(m.group()));
        }
        return urls;
    }
}
