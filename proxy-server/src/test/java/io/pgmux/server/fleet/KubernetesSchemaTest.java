package io.pgmux.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.ObjectMapper;

/**
 * Every object under deploy/kubernetes reads into the Kubernetes object model (fabric8's, generated from the
 * Kubernetes OpenAPI schemas) with no field left over: a misspelt or misplaced field, or a value of the wrong type,
 * fails here rather than at kubectl apply. Enumerated values and required fields are not checked.
 */
@DetectLeaks
class KubernetesSchemaTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The kinds the manifests use, by kind, with the apiVersion each is written in. */
    private static final Map<String, Map.Entry<String, Class<? extends HasMetadata>>> KINDS = Map.of(
            "Secret", Map.entry("v1", Secret.class),
            "ConfigMap", Map.entry("v1", ConfigMap.class),
            "Service", Map.entry("v1", Service.class),
            "Deployment", Map.entry("apps/v1", Deployment.class),
            "StatefulSet", Map.entry("apps/v1", StatefulSet.class),
            "PodDisruptionBudget", Map.entry("policy/v1", PodDisruptionBudget.class),
            "HorizontalPodAutoscaler", Map.entry("autoscaling/v2", HorizontalPodAutoscaler.class));

    @Test
    void everyManifestMatchesTheKubernetesModel() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(DIR)) {
            files = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        int objects = 0;
        for (Path file : files) {
            for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                check(file.getFileName() + " " + ((Map<?, ?>) doc).get("kind"), (Map<?, ?>) doc);
                objects++;
            }
        }
        assertThat(objects).isGreaterThanOrEqualTo(9);
    }

    @Test
    void aMisspeltFieldIsCaught() {
        Map<?, ?> pod = new Yaml().load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  selector: {matchLabels: {app: app}}
                  template:
                    spec:
                      initContainers:
                        - {name: pgmux, image: pgmux, restartPolicyy: Always}
                """);
        assertThatThrownBy(() -> check("test", pod)).hasMessageContaining("restartPolicyy");
    }

    private static void check(String where, Map<?, ?> doc) {
        Map.Entry<String, Class<? extends HasMetadata>> kind = KINDS.get((String) doc.get("kind"));
        assertThat(kind).as(where + ": a kind the test knows").isNotNull();
        assertThat(doc.get("apiVersion")).as(where + " apiVersion").isEqualTo(kind.getKey());
        Object model = MAPPER.convertValue(doc, kind.getValue());
        assertNoLeftovers(where, model);
    }

    /** Fields the model has no property for end up in additionalProperties; there must be none, at any depth. */
    private static void assertNoLeftovers(String path, Object node) {
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                assertNoLeftovers(path + "[" + i++ + "]", item);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> assertNoLeftovers(path + "." + k, v));
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (!getter.getName().startsWith("get") || getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) value).as(path + ": fields unknown to Kubernetes").isNullOrEmpty();
            } else {
                assertNoLeftovers(path + "." + getter.getName().substring(3), value);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter.toString(), e);
        }
    }
}
