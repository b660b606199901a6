package io.atrium.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Rendered manifests as fabric8's typed Kubernetes API objects, with every field the API does not know reported. */
final class Manifests {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Map<String, Class<? extends KubernetesResource>> TYPES = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/Job", Job.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private Manifests() {
    }

    /** The typed object; fails for an apiVersion/kind the model has no (served, stable) type for. */
    static KubernetesResource typed(Map<String, Object> object) {
        String type = object.get("apiVersion") + "/" + object.get("kind");
        Class<? extends KubernetesResource> cls = TYPES.get(type);
        if (cls == null) {
            throw new AssertionError(Kustomize.name(object) + ": no stable Kubernetes API type " + type);
        }
        return MAPPER.convertValue(object, cls);
    }

    /** Paths of fields the Kubernetes API does not define (fabric8 keeps them as additional properties). */
    static List<String> unknownFields(Object value, String path) {
        List<String> unknown = new ArrayList<>();
        walk(value, path, unknown);
        return unknown;
    }

    private static void walk(Object value, String path, List<String> unknown) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                walk(child, path + "." + field, unknown);
            }
        }
    }

    /** The containers of a Deployment's or Job's pod template (live maps: a render may change them). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Map<String, Object> object) {
        if (!"Deployment".equals(object.get("kind")) && !"Job".equals(object.get("kind"))) {
            return List.of();
        }
        Map<String, Object> spec = (Map<String, Object>) object.get("spec");
        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        return (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers");
    }
}
