package io.pgmux.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.QuickStartSettings;
import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests under deploy/kubernetes hold together: the pgmux configuration in each ConfigMap loads, pods pass
 * the restricted Pod Security Standard, the termination grace covers pgmux's own grace and drain, the sidecar is a
 * native one, the shared replicas can reach each other for cancels, and the autoscaler stays within the peers and
 * under a fleet budget.
 */
@DetectLeaks
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");

    @Test
    void sharedReplicasDrainGracefullyForwardCancelsAndShareOneBudget(@TempDir Path tmp) throws IOException {
        List<Map<String, Object>> docs = documents("pgmux-deployment.yaml");
        PgmuxConfig config = pgmuxConfig(docs, "pgmux-config", tmp);
        assertThat(config.fleet().shutdownGrace()).isPositive();
        assertThat(config.fleet().maxDbConnections()).isPositive();
        Map<String, Object> set = only(docs, "StatefulSet");
        Map<String, Object> pod = at(set, "spec", "template", "spec");
        assertRestricted(pod);
        assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue())
                .as("terminationGracePeriodSeconds covers shutdown_grace + shutdown_timeout")
                .isGreaterThan(config.fleet().shutdownGrace().plus(config.timeouts().shutdownTimeout()).toSeconds());
        Map<String, Object> pgmux = containers(pod, "containers").get(0);
        assertThat(env(pgmux, "PGMUX_PEER_ID")).containsEntry("valueFrom",
                Map.of("fieldRef", Map.of("fieldPath", "metadata.labels['apps.kubernetes.io/pod-index']")));
        assertThat(env(pgmux, "JAVA_TOOL_OPTIONS").get("value").toString()).contains("-XX:MaxDirectMemorySize=");
        String peersService = (String) at(set, "spec").get("serviceName");
        Map<String, Object> headless = docs.stream().filter(d -> "Service".equals(d.get("kind"))
                && peersService.equals(at(d, "metadata").get("name"))).findFirst().orElseThrow();
        assertThat(at(headless, "spec")).containsEntry("clusterIP", "None")
                .containsEntry("publishNotReadyAddresses", true);
        String name = (String) at(set, "metadata").get("name");
        for (int ordinal = 0; ordinal < config.fleet().peers().size(); ordinal++) {
            assertThat(config.fleet().peers().get(ordinal).host()).isEqualTo(name + "-" + ordinal + "." + peersService);
        }

        Map<String, Object> hpa = only(documents("pgmux-autoscaling.yaml"), "HorizontalPodAutoscaler");
        assertThat(at(hpa, "spec", "scaleTargetRef")).containsEntry("kind", "StatefulSet").containsEntry("name", name);
        assertThat(((Number) at(hpa, "spec").get("maxReplicas")).intValue()).as("maxReplicas within the peers")
                .isLessThanOrEqualTo(config.fleet().peers().size());
    }

    @Test
    void theSidecarStartsBeforeAndStopsAfterTheApplication(@TempDir Path tmp) throws IOException {
        List<Map<String, Object>> docs = documents("pgmux-sidecar.yaml");
        PgmuxConfig config = pgmuxConfig(docs, "app-pgmux", tmp);
        assertThat(config.listen().host()).isEqualTo("127.0.0.1");
        Map<String, Object> pod = at(only(docs, "Deployment"), "spec", "template", "spec");
        assertRestricted(pod);
        Map<String, Object> sidecar = containers(pod, "initContainers").get(0);
        assertThat(sidecar).containsEntry("restartPolicy", "Always").containsKey("startupProbe");
        assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue())
                .isGreaterThan(config.timeouts().shutdownTimeout().toSeconds());
    }

    /** Pod Security Standard "restricted": non-root, RuntimeDefault seccomp, no escalation, no capabilities. */
    private static void assertRestricted(Map<String, Object> pod) {
        Map<String, Object> security = at(pod, "securityContext");
        assertThat(security).containsEntry("runAsNonRoot", true);
        assertThat(at(security, "seccompProfile")).containsEntry("type", "RuntimeDefault");
        List<Map<String, Object>> all = new ArrayList<>(containers(pod, "containers"));
        all.addAll(containers(pod, "initContainers"));
        for (Map<String, Object> container : all) {
            Map<String, Object> own = at(container, "securityContext");
            assertThat(own).as(container.get("name") + " securityContext").containsEntry("allowPrivilegeEscalation",
                    false);
            assertThat(at(own, "capabilities")).containsEntry("drop", List.of("ALL"));
        }
    }

    /** The pgmux.yaml of the named ConfigMap, loaded as pgmux would with the Secret's PGMUX_BACKEND set. */
    private static PgmuxConfig pgmuxConfig(List<Map<String, Object>> docs, String configMap, Path tmp)
            throws IOException {
        Map<String, Object> map = docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))
                && configMap.equals(at(d, "metadata").get("name"))).findFirst().orElseThrow();
        Path file = Files.writeString(tmp.resolve("pgmux.yaml"), (String) at(map, "data").get("pgmux.yaml"));
        String backend = (String) at(only(docs, "Secret"), "stringData").get("PGMUX_BACKEND");
        return ConfigLoader.load(file, Map.of("PGMUX_BACKEND", backend, "PGMUX_PEER_ID", "0"),
                QuickStartSettings.none());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(DIR.resolve(file)))) {
            Map<String, Object> map = (Map<String, Object>) doc;
            assertThat(map).as(file + ": every document has apiVersion, kind and metadata.name")
                    .containsKeys("apiVersion", "kind", "metadata");
            assertThat(at(map, "metadata")).containsKey("name");
            docs.add(map);
        }
        return docs;
    }

    private static Map<String, Object> only(List<Map<String, Object>> docs, String kind) {
        List<Map<String, Object>> found = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Map<String, Object> node = map;
        for (String key : path) {
            assertThat(node).as("key " + key).containsKey(key);
            node = (Map<String, Object>) node.get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> containers(Map<String, Object> pod, String key) {
        List<Map<String, Object>> list = (List<Map<String, Object>>) pod.get(key);
        return list == null ? List.of() : list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Object> container, String name) {
        return ((List<Map<String, Object>>) container.get("env")).stream().filter(e -> name.equals(e.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }
}
