package dev.chatgptsso.provisioner.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Static checks of the deployment artefacts in {@code deploy/} (Kubernetes manifests and the compose
 * file) and of {@code src/main/docker/Dockerfile.jvm}. Nothing here needs Docker or a cluster: every
 * YAML document is parsed with SnakeYAML and the parsed trees are checked against the rules the
 * deployment relies on (probes, resources, hardening, secrets only by reference, consistent names).
 *
 * <p>The rules that guard against leaked secrets are static methods returning a list of problems, so
 * the negative self-checks at the end can feed them bad snippets and prove they would fail.
 */
class DeployManifestTest {

    private static final Path ROOT = projectRoot();
    private static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    private static final Path COMPOSE = ROOT.resolve("deploy/compose.yaml");
    private static final Path DOCKERFILE = ROOT.resolve("src/main/docker/Dockerfile.jvm");

    /** Env var names that hold secrets. */
    private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|KEY|TOKEN|SECRET");
    /**
     * A compose value that is exactly one interpolation without a default: ${VAR}, ${VAR:?msg} or ${VAR?msg}.
     * ${VAR:-x} is refused for secrets: x would be an inline secret used whenever VAR is unset.
     */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::?\\?[^}]*)?}");

    private static final String DEPLOYMENT_NAME = "chatgpt-sso-provisioner";

    // ------------------------------------------------------------------ parsing

    @Test
    void everyYamlDocumentParses() {
        List<Path> files = kubernetesFiles();
        assertFalse(files.isEmpty(), "deploy/kubernetes/ holds no YAML file");
        for (Path file : files) {
            List<Object> docs = loadAll(file);
            assertFalse(docs.isEmpty(), file + " holds no YAML document");
            for (Object doc : docs) {
                assertTrue(doc instanceof Map, file + ": a document is not a mapping but " + describe(doc));
                Map<?, ?> map = (Map<?, ?>) doc;
                assertNotNull(map.get("apiVersion"), file + ": a document has no apiVersion");
                assertNotNull(map.get("kind"), file + ": a document has no kind");
                if (!"Kustomization".equals(map.get("kind"))) {
                    assertNotNull(str(map, "metadata", "name"), file + ": the " + map.get("kind") + " has no metadata.name");
                }
            }
        }
        List<Object> compose = loadAll(COMPOSE);
        assertEquals(1, compose.size(), "deploy/compose.yaml must be exactly one YAML document");
        assertTrue(compose.get(0) instanceof Map && ((Map<?, ?>) compose.get(0)).get("services") instanceof Map,
                "deploy/compose.yaml has no services mapping");
    }

    // ------------------------------------------------------------------ Deployment

    @Test
    void deploymentKeepsTwoReplicasThroughRollouts() {
        Map<String, Object> deployment = deployment();
        Object replicas = get(deployment, "spec", "replicas");
        assertTrue(replicas instanceof Integer && (Integer) replicas >= 2,
                "Deployment " + DEPLOYMENT_NAME + ": spec.replicas must be >= 2, is " + replicas);
        assertEquals("RollingUpdate", str(deployment, "spec", "strategy", "type"),
                "Deployment: spec.strategy.type must be RollingUpdate");
        assertEquals(0, get(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"),
                "Deployment: spec.strategy.rollingUpdate.maxUnavailable must be 0 so a rollout never drops below the replica count");
        Map<String, Object> selector = map(deployment, "spec", "selector", "matchLabels");
        assertFalse(selector.isEmpty(), "Deployment: spec.selector.matchLabels is empty");
        assertTrue(podLabels().entrySet().containsAll(selector.entrySet()),
                "Deployment: spec.selector.matchLabels " + selector + " do not match the pod template labels " + podLabels());
        Object antiAffinity = get(deployment, "spec", "template", "spec", "affinity", "podAntiAffinity",
                "preferredDuringSchedulingIgnoredDuringExecution");
        assertTrue(antiAffinity instanceof List && !((List<?>) antiAffinity).isEmpty(),
                "Deployment: no preferred pod anti-affinity spreading replicas across nodes");
    }

    @Test
    void everyContainerHasHealthProbesOnQuarkusEndpoints() {
        for (Map<String, Object> container : containers()) {
            String name = String.valueOf(container.get("name"));
            Set<Object> ports = containerPorts(container);
            for (String[] probe : new String[][] {
                    {"readinessProbe", "/q/health/ready"}, {"livenessProbe", "/q/health/live"}, {"startupProbe", "/q/health/started"}}) {
                Map<String, Object> httpGet = map(container, probe[0], "httpGet");
                assertFalse(httpGet.isEmpty(), "container " + name + ": no " + probe[0] + " with httpGet");
                assertEquals(probe[1], httpGet.get("path"), "container " + name + ": " + probe[0] + " must GET " + probe[1]);
                assertTrue(ports.contains(httpGet.get("port")),
                        "container " + name + ": " + probe[0] + " port " + httpGet.get("port") + " is not a declared container port " + ports);
            }
        }
    }

    @Test
    void everyContainerHasRequestsAndLimits() {
        for (Map<String, Object> container : containers()) {
            String name = String.valueOf(container.get("name"));
            Map<String, Object> requests = map(container, "resources", "requests");
            Map<String, Object> limits = map(container, "resources", "limits");
            assertNotNull(requests.get("cpu"), "container " + name + ": resources.requests.cpu is not set (the HPA needs it)");
            assertNotNull(requests.get("memory"), "container " + name + ": resources.requests.memory is not set");
            assertNotNull(limits.get("memory"), "container " + name + ": resources.limits.memory is not set");
        }
    }

    @Test
    void everyContainerRunsHardened() {
        Map<String, Object> podSecurity = map(deployment(), "spec", "template", "spec", "securityContext");
        for (Map<String, Object> container : containers()) {
            String name = String.valueOf(container.get("name"));
            Map<String, Object> security = map(container, "securityContext");
            Object runAsNonRoot = security.containsKey("runAsNonRoot") ? security.get("runAsNonRoot") : podSecurity.get("runAsNonRoot");
            assertEquals(Boolean.TRUE, runAsNonRoot, "container " + name + ": runAsNonRoot must be true (container or pod securityContext)");
            assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"), "container " + name + ": securityContext.readOnlyRootFilesystem must be true");
            assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"), "container " + name + ": securityContext.allowPrivilegeEscalation must be false");
            Object drop = get(security, "capabilities", "drop");
            assertTrue(drop instanceof List && ((List<?>) drop).contains("ALL"), "container " + name + ": securityContext.capabilities.drop must contain ALL");
            Object seccomp = security.containsKey("seccompProfile") ? get(security, "seccompProfile", "type") : get(podSecurity, "seccompProfile", "type");
            assertEquals("RuntimeDefault", seccomp, "container " + name + ": seccompProfile.type must be RuntimeDefault");

            // a read-only root needs a writable /tmp backed by an emptyDir
            Object tmpVolume = list(container, "volumeMounts").stream()
                    .filter(m -> "/tmp".equals(((Map<?, ?>) m).get("mountPath")))
                    .map(m -> ((Map<?, ?>) m).get("name")).findFirst().orElse(null);
            assertNotNull(tmpVolume, "container " + name + ": nothing is mounted at /tmp, but the root filesystem is read-only");
            boolean emptyDir = list(deployment(), "spec", "template", "spec", "volumes").stream()
                    .map(v -> (Map<?, ?>) v)
                    .anyMatch(v -> tmpVolume.equals(v.get("name")) && v.containsKey("emptyDir"));
            assertTrue(emptyDir, "container " + name + ": the /tmp volume " + tmpVolume + " is not an emptyDir");
        }
    }

    @Test
    void secretEnvVarsComeFromSecretKeyRefs() {
        List<String> problems = secretEnvProblems(deployment());
        assertTrue(problems.isEmpty(), "Deployment env: " + problems);
        for (Map<String, Object> configMap : byKind("ConfigMap")) {
            List<String> leaked = configMapSecretProblems(configMap);
            assertTrue(leaked.isEmpty(), "ConfigMap " + str(configMap, "metadata", "name") + ": " + leaked);
        }
    }

    @Test
    void theServiceGetsEverySecretItNeeds() throws IOException {
        String readme = Files.readString(ROOT.resolve("deploy/README.md"), StandardCharsets.UTF_8);
        String cluster = names("Cluster").stream().findFirst().orElse("<no Cluster>");
        for (String var : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "PROVISIONER_AUTH_API_KEYS", "PROVISIONER_CRYPTO_KEY")) {
            Map<String, Object> env = envVar(var);
            assertNotNull(env, "Deployment: " + var + " is not set; the service cannot start without it");
            String secret = str(env, "valueFrom", "secretKeyRef", "name");
            assertNotNull(secret, "Deployment: " + var + " does not come from a secretKeyRef");
            // the operator creates <cluster>-app; every other Secret must be documented for the operator to create
            if (!secret.equals(cluster + "-app")) {
                assertTrue(readme.contains("create secret generic " + secret),
                        "deploy/README.md does not show how to create the Secret " + secret + " used for " + var);
                assertTrue(readme.contains("--from-literal=" + str(env, "valueFrom", "secretKeyRef", "key") + "=")
                                || readme.contains("--from-file=" + str(env, "valueFrom", "secretKeyRef", "key") + "="),
                        "deploy/README.md does not create the key " + str(env, "valueFrom", "secretKeyRef", "key") + " of Secret " + secret);
            }
        }
    }

    @Test
    void noSecretIsShippedWithData() {
        List<Map<String, Object>> all = new ArrayList<>(kubernetesDocuments());
        all.add(compose());
        List<String> problems = inlineSecretProblems(all);
        assertTrue(problems.isEmpty(), "secrets must be created by the operator, never shipped: " + problems);
    }

    @Test
    void envFromConfigMapsExist() {
        Set<String> configMaps = names("ConfigMap");
        for (Map<String, Object> container : containers()) {
            List<Object> envFrom = list(container, "envFrom");
            assertFalse(envFrom.isEmpty(), "container " + container.get("name") + ": no envFrom ConfigMap");
            for (Object source : envFrom) {
                String ref = str((Map<?, ?>) source, "configMapRef", "name");
                if (ref != null) {
                    assertTrue(configMaps.contains(ref), "container " + container.get("name") + ": envFrom names ConfigMap " + ref
                            + ", but deploy/kubernetes/ defines only " + configMaps);
                }
            }
        }
    }

    // ------------------------------------------------------------------ companions of the Deployment

    @Test
    void serviceTargetsThePodsHttpPort() {
        List<Map<String, Object>> services = byKind("Service");
        assertEquals(1, services.size(), "expected exactly one Service, found " + services.size());
        Map<String, Object> service = services.get(0);
        Map<String, Object> selector = map(service, "spec", "selector");
        assertFalse(selector.isEmpty(), "Service: spec.selector is empty");
        assertTrue(podLabels().entrySet().containsAll(selector.entrySet()),
                "Service: selector " + selector + " does not match the pod labels " + podLabels());
        for (Object port : list(service, "spec", "ports")) {
            Object target = ((Map<?, ?>) port).get("targetPort");
            boolean declared = containers().stream().anyMatch(c -> containerPorts(c).contains(target));
            assertTrue(declared, "Service: targetPort " + target + " is not a container port of the Deployment");
        }
    }

    @Test
    void pdbAndHpaTargetTheDeployment() {
        List<Map<String, Object>> pdbs = byKind("PodDisruptionBudget");
        assertEquals(1, pdbs.size(), "expected exactly one PodDisruptionBudget, found " + pdbs.size());
        Map<String, Object> pdb = pdbs.get(0);
        Map<String, Object> pdbSelector = map(pdb, "spec", "selector", "matchLabels");
        assertFalse(pdbSelector.isEmpty(), "PodDisruptionBudget: spec.selector.matchLabels is empty");
        assertTrue(podLabels().entrySet().containsAll(pdbSelector.entrySet()),
                "PodDisruptionBudget: selector " + pdbSelector + " does not match the Deployment's pod labels " + podLabels());
        Object minAvailable = get(pdb, "spec", "minAvailable");
        assertTrue(minAvailable instanceof Integer && (Integer) minAvailable >= 1,
                "PodDisruptionBudget: spec.minAvailable must be >= 1, is " + minAvailable);

        List<Map<String, Object>> hpas = byKind("HorizontalPodAutoscaler");
        assertEquals(1, hpas.size(), "expected exactly one HorizontalPodAutoscaler, found " + hpas.size());
        Map<String, Object> hpa = hpas.get(0);
        assertEquals("autoscaling/v2", hpa.get("apiVersion"), "HorizontalPodAutoscaler: apiVersion must be autoscaling/v2");
        assertEquals("Deployment", str(hpa, "spec", "scaleTargetRef", "kind"), "HorizontalPodAutoscaler: scaleTargetRef.kind must be Deployment");
        assertEquals(DEPLOYMENT_NAME, str(hpa, "spec", "scaleTargetRef", "name"),
                "HorizontalPodAutoscaler: scaleTargetRef.name must name the Deployment");
        Object min = get(hpa, "spec", "minReplicas");
        Object max = get(hpa, "spec", "maxReplicas");
        assertTrue(min instanceof Integer && (Integer) min >= 2, "HorizontalPodAutoscaler: minReplicas must be >= 2, is " + min);
        assertTrue(max instanceof Integer && (Integer) max >= (Integer) min,
                "HorizontalPodAutoscaler: maxReplicas " + max + " is below minReplicas " + min);
        boolean cpu = list(hpa, "spec", "metrics").stream().map(m -> (Map<?, ?>) m)
                .anyMatch(m -> "cpu".equals(str(m, "resource", "name")) && get(m, "resource", "target", "averageUtilization") != null);
        assertTrue(cpu, "HorizontalPodAutoscaler: no CPU utilization metric");
    }

    @Test
    void databaseClusterMatchesTheDeployment() {
        List<Map<String, Object>> clusters = byKind("Cluster");
        assertEquals(1, clusters.size(), "expected exactly one CloudNativePG Cluster, found " + clusters.size());
        Map<String, Object> cluster = clusters.get(0);
        assertEquals("postgresql.cnpg.io/v1", cluster.get("apiVersion"), "Cluster: apiVersion must be postgresql.cnpg.io/v1");
        String clusterName = str(cluster, "metadata", "name");
        Object instances = get(cluster, "spec", "instances");
        assertTrue(instances instanceof Integer && (Integer) instances >= 2, "Cluster " + clusterName + ": spec.instances must be >= 2, is " + instances);
        assertNotNull(str(cluster, "spec", "storage", "size"), "Cluster " + clusterName + ": spec.storage.size is not set");
        String database = str(cluster, "spec", "bootstrap", "initdb", "database");
        assertNotNull(database, "Cluster " + clusterName + ": spec.bootstrap.initdb.database is not set");
        assertNotNull(str(cluster, "spec", "bootstrap", "initdb", "owner"), "Cluster " + clusterName + ": spec.bootstrap.initdb.owner is not set");

        String appSecret = clusterName + "-app";
        for (String var : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
            Map<String, Object> env = envVar(var);
            assertNotNull(env, "Deployment: " + var + " is not set");
            assertEquals(appSecret, str(env, "valueFrom", "secretKeyRef", "name"),
                    "Deployment: " + var + " must come from the Secret CloudNativePG creates for Cluster " + clusterName);
        }

        String url = configValue("QUARKUS_DATASOURCE_JDBC_URL");
        assertNotNull(url, "no ConfigMap sets QUARKUS_DATASOURCE_JDBC_URL");
        assertTrue(url.startsWith("jdbc:postgresql://"), "QUARKUS_DATASOURCE_JDBC_URL is not a PostgreSQL JDBC URL: " + url);
        URI uri = URI.create(url.substring("jdbc:".length()));
        assertEquals(clusterName + "-rw", uri.getHost(), "QUARKUS_DATASOURCE_JDBC_URL must point at the Cluster's read-write service");
        assertEquals("/" + database, uri.getPath(), "QUARKUS_DATASOURCE_JDBC_URL must name the Cluster's database " + database);
        assertTrue(uri.getQuery() == null || !uri.getQuery().toLowerCase().contains("password"),
                "QUARKUS_DATASOURCE_JDBC_URL must not carry a password");
    }

    @Test
    void kustomizationListsEveryFile() throws IOException {
        Path kustomization = KUBERNETES.resolve("kustomization.yaml");
        assertTrue(Files.isRegularFile(kustomization), "deploy/kubernetes/kustomization.yaml is missing");
        Map<String, Object> doc = asMap(loadAll(kustomization).get(0));
        Set<String> listed = list(doc, "resources").stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
        Set<String> present;
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            present = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> unlisted = new TreeSet<>(present);
        unlisted.removeAll(listed);
        Set<String> missing = new TreeSet<>(listed);
        missing.removeAll(present);
        assertTrue(unlisted.isEmpty(), "kustomization.yaml does not list " + unlisted);
        assertTrue(missing.isEmpty(), "kustomization.yaml lists files that do not exist: " + missing);
    }

    // ------------------------------------------------------------------ compose and Dockerfile

    @Test
    void composeTakesSecretsFromTheEnvironment() {
        List<String> problems = composeSecretProblems(compose());
        assertTrue(problems.isEmpty(), "deploy/compose.yaml: " + problems);
    }

    @Test
    void composeBuildsTheServiceFromTheDockerfile() {
        Map<String, Object> services = map(compose(), "services");
        for (String required : List.of("authentik-server", "authentik-worker", "provisioner")) {
            assertTrue(services.containsKey(required), "deploy/compose.yaml: no service " + required);
        }
        assertFalse(services.keySet().stream().anyMatch(s -> s.contains("redis")),
                "deploy/compose.yaml: authentik no longer uses Redis (removed in 2025.10)");
        Map<String, Object> build = map(services, "provisioner", "build");
        Object context = build.get("context");
        Object dockerfile = build.get("dockerfile");
        assertNotNull(context, "deploy/compose.yaml: service provisioner has no build.context");
        assertNotNull(dockerfile, "deploy/compose.yaml: service provisioner has no build.dockerfile");
        Path resolved = COMPOSE.getParent().resolve(context.toString()).resolve(dockerfile.toString()).normalize();
        assertEquals(DOCKERFILE.normalize(), resolved, "deploy/compose.yaml: the provisioner is not built from src/main/docker/Dockerfile.jvm");
        assertEquals("true", String.valueOf(map(services, "provisioner", "environment").get("PROVISIONER_OUTBOUND_ALLOW_PRIVATE_NETWORKS")),
                "deploy/compose.yaml: the provisioner cannot reach http://authentik-server:9000 without PROVISIONER_OUTBOUND_ALLOW_PRIVATE_NETWORKS=true");
    }

    @Test
    void dockerfileRunsTheFastJarAsNonRoot() throws IOException {
        assertTrue(Files.isRegularFile(DOCKERFILE), "src/main/docker/Dockerfile.jvm is missing");
        List<String> lines = dockerfileLines();
        String from = lines.stream().filter(l -> l.startsWith("FROM ")).findFirst().orElse("");
        assertTrue(from.matches("FROM registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime:[0-9][^\\s]*"),
                "Dockerfile.jvm: the base image must be ubi9/openjdk-17-runtime with a pinned tag, is: " + from);
        for (String dir : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("COPY --chown=185 target/quarkus-app/" + dir)),
                    "Dockerfile.jvm: target/quarkus-app/" + dir + " is not copied with --chown=185");
        }
        assertTrue(lines.contains("USER 185"), "Dockerfile.jvm: must switch to the non-root USER 185");
        assertTrue(lines.contains("EXPOSE 8080"), "Dockerfile.jvm: must EXPOSE 8080");
        assertTrue(lines.stream().anyMatch(l -> l.contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"")),
                "Dockerfile.jvm: JAVA_APP_JAR must be /deployments/quarkus-run.jar");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ENV JAVA_OPTS_APPEND=") && l.contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager")),
                "Dockerfile.jvm: JAVA_OPTS_APPEND must set the JBoss log manager");
    }

    /** The image makes its class-data archive with its own JVM, by the training start, after switching to its user, for the jar path it runs. */
    @Test
    void dockerfileMapsTheClassDataArchiveItMakes() throws IOException {
        List<String> lines = dockerfileLines();
        int user = lines.indexOf("USER 185");
        int dump = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("RUN java ") && lines.get(i).contains(" -XX:ArchiveClassesAtExit=")) {
                dump = i;
            }
        }
        assertTrue(dump > user && user >= 0, "Dockerfile.jvm: the archive must be made by a RUN after USER 185 (so the user can map it)");
        String made = lines.get(dump).replaceAll(".*-XX:ArchiveClassesAtExit=(\\S+).*", "$1");
        assertTrue(lines.get(dump).contains("-Dquarkus.profile=prod,cds-training") && lines.get(dump).endsWith("-jar /deployments/quarkus-run.jar"),
                "Dockerfile.jvm: the archive must come from the training start (profile cds-training) of the jar the image runs: " + lines.get(dump));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ENV JAVA_OPTS_APPEND=")
                && l.matches(".*-XX:SharedArchiveFile=" + java.util.regex.Pattern.quote(made) + "[\" ].*")),
                "Dockerfile.jvm: JAVA_OPTS_APPEND must map the archive the image makes (" + made + ")");
    }

    /**
     * JDK 17 refuses to start with two collectors, and the base image's run-java.sh adds the one in GC_CONTAINER_OPTIONS
     * (the parallel one when unset, in tags of this image family): the collector JAVA_OPTS_APPEND picks must be that one.
     */
    @Test
    void dockerfileGivesRunJavaTheCollectorItsOptionsPick() throws IOException {
        List<String> lines = dockerfileLines();
        java.util.regex.Pattern collector = java.util.regex.Pattern.compile("-XX:\\+Use\\w+GC");
        String append = lines.stream().filter(l -> l.startsWith("ENV JAVA_OPTS_APPEND=")).findFirst().orElseThrow();
        java.util.regex.Matcher picked = collector.matcher(append);
        if (!picked.find()) {
            return; // no collector of its own: run-java.sh's default is the only one
        }
        String gc = picked.group();
        assertTrue(lines.contains("ENV GC_CONTAINER_OPTIONS=\"" + gc + "\""),
                "Dockerfile.jvm: JAVA_OPTS_APPEND picks " + gc + ", so GC_CONTAINER_OPTIONS must be exactly that collector");
    }

    /** Dockerfile.jvm's instructions: trimmed, without blank lines and comments. */
    private static List<String> dockerfileLines() throws IOException {
        return Files.readAllLines(DOCKERFILE, StandardCharsets.UTF_8).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    // ------------------------------------------------------------------ negative self-checks

    @Test
    void theSecretRulesCatchInlineSecrets() {
        Map<String, Object> deployment = parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bad}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          env:
                            - {name: QUARKUS_DATASOURCE_PASSWORD, value: hunter2}
                            - {name: PROVISIONER_CRYPTO_KEY, valueFrom: {configMapKeyRef: {name: cfg, key: k}}}
                            - name: PROVISIONER_AUTH_API_KEYS
                              value: leaked
                              valueFrom: {secretKeyRef: {name: s, key: k}}
                            - {name: QUARKUS_DATASOURCE_USERNAME, value: fine-not-secret-looking}
                            - {name: AUTH_TOKEN, valueFrom: {secretKeyRef: {name: s, key: t}}}
                """);
        List<String> problems = secretEnvProblems(deployment);
        assertEquals(3, problems.size(), "expected the inline password, the ConfigMap-sourced key and the value next to a secretKeyRef: " + problems);
        assertTrue(problems.get(0).contains("QUARKUS_DATASOURCE_PASSWORD"), problems.get(0));

        Map<String, Object> configMap = parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                data: {PROVISIONER_CRYPTO_KEY: c2VjcmV0, PROVISIONER_AUTHENTIK_READ_TIMEOUT: PT10S}
                """);
        assertEquals(1, configMapSecretProblems(configMap).size(), "a secret-looking ConfigMap key must be flagged");

        Map<String, Object> secret = parse("""
                apiVersion: v1
                kind: Secret
                metadata: {name: chatgpt-sso-provisioner-crypto}
                stringData: {key: c2VjcmV0}
                """);
        Map<String, Object> emptySecret = parse("""
                apiVersion: v1
                kind: Secret
                metadata: {name: placeholder}
                """);
        assertEquals(1, inlineSecretProblems(List.of(secret, emptySecret)).size(), "a Secret with stringData must be flagged, one without data not");

        Map<String, Object> compose = parse("""
                services:
                  a:
                    environment:
                      AUTHENTIK_SECRET_KEY: literal
                      POSTGRES_PASSWORD: "${PG_PASS:?required}"
                      AUTHENTIK_BOOTSTRAP_TOKEN: "prefix-${TOKEN}"
                      AUTHENTIK_POSTGRESQL__PASSWORD: "${PG_PASS:-postgres}"
                      AUTHENTIK_BOOTSTRAP_EMAIL: "${EMAIL:-admin@example.com}"
                      PROVISIONER_AUTHENTIK_CONNECT_TIMEOUT: PT3S
                  b:
                    environment:
                      - QUARKUS_DATASOURCE_PASSWORD=postgres
                      - PROVISIONER_CRYPTO_KEY=${PROVISIONER_CRYPTO_KEY:?set it}
                      - PROVISIONER_AUTH_API_KEYS
                """);
        List<String> composeProblems = composeSecretProblems(compose);
        assertEquals(4, composeProblems.size(), "expected the two literals, the partly interpolated token and the literal default: " + composeProblems);
    }

    // ------------------------------------------------------------------ the rules (pure functions)

    /** Env vars with a secret-looking name that do not come (only) from a secretKeyRef, in every container. */
    static List<String> secretEnvProblems(Map<String, Object> deployment) {
        List<String> problems = new ArrayList<>();
        List<Object> containers = new ArrayList<>(list(deployment, "spec", "template", "spec", "containers"));
        containers.addAll(list(deployment, "spec", "template", "spec", "initContainers"));
        for (Object c : containers) {
            Map<String, Object> container = asMap(c);
            for (Object e : list(container, "env")) {
                Map<String, Object> env = asMap(e);
                String name = String.valueOf(env.get("name"));
                if (!SECRET_NAME.matcher(name.toUpperCase()).find()) {
                    continue;
                }
                if (env.containsKey("value")) {
                    problems.add("container " + container.get("name") + " sets " + name + " inline (value:); use valueFrom.secretKeyRef");
                } else if (str(env, "valueFrom", "secretKeyRef", "name") == null || str(env, "valueFrom", "secretKeyRef", "key") == null) {
                    problems.add("container " + container.get("name") + " takes " + name + " from " + env.get("valueFrom")
                            + " instead of valueFrom.secretKeyRef with name and key");
                }
            }
        }
        return problems;
    }

    /** ConfigMap keys that look like secrets (they end up as env vars through envFrom). */
    static List<String> configMapSecretProblems(Map<String, Object> configMap) {
        List<String> problems = new ArrayList<>();
        for (String section : List.of("data", "binaryData")) {
            for (String key : map(configMap, section).keySet()) {
                if (SECRET_NAME.matcher(key.toUpperCase()).find()) {
                    problems.add(section + "." + key + " looks like a secret; put it in a Secret and use secretKeyRef");
                }
            }
        }
        return problems;
    }

    /** Documents of kind Secret that carry data or stringData. */
    static List<String> inlineSecretProblems(List<Map<String, Object>> documents) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> doc : documents) {
            if ("Secret".equals(doc.get("kind"))) {
                for (String field : List.of("data", "stringData")) {
                    Object value = doc.get(field);
                    if (value instanceof Map<?, ?> m ? !m.isEmpty() : value != null) {
                        problems.add("Secret " + str(doc, "metadata", "name") + " ships " + field);
                    }
                }
            }
        }
        return problems;
    }

    /** Compose env vars with a secret-looking name whose value is not exactly one ${...} interpolation. */
    static List<String> composeSecretProblems(Map<String, Object> compose) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> service : map(compose, "services").entrySet()) {
            Object environment = asMap(service.getValue()).get("environment");
            List<Map.Entry<String, Object>> vars = new ArrayList<>();
            if (environment instanceof Map<?, ?> m) {
                m.forEach((k, v) -> vars.add(Map.entry(String.valueOf(k), v == null ? "" : v)));
            } else if (environment instanceof List<?> l) {
                for (Object item : l) {
                    String s = String.valueOf(item);
                    int eq = s.indexOf('=');
                    // "- NAME" without "=" passes the host's value through: not a literal
                    vars.add(eq < 0 ? Map.entry(s, "${" + s + "}") : Map.entry(s.substring(0, eq), s.substring(eq + 1)));
                }
            }
            for (Map.Entry<String, Object> var : vars) {
                if (!SECRET_NAME.matcher(var.getKey().toUpperCase()).find()) {
                    continue;
                }
                String value = String.valueOf(var.getValue());
                if (!INTERPOLATION.matcher(value).matches()) {
                    problems.add("service " + service.getKey() + " sets " + var.getKey() + " to a literal or a literal default"
                            + " (value not shown); use ${VAR:?message}");
                }
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------ loading

    private static Path projectRoot() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("deploy"))) {
                return d;
            }
        }
        return fail("cannot find the project root (pom.xml next to deploy/) from " + dir);
    }

    private static List<Path> kubernetesFiles() {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            return fail("cannot list " + KUBERNETES + ": " + e);
        }
    }

    private static List<Object> loadAll(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<Object> docs = new ArrayList<>();
            for (Object doc : yaml.loadAll(reader)) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException | RuntimeException e) {
            return fail(ROOT.relativize(file) + " is not valid YAML: " + e.getMessage());
        }
    }

    private static Map<String, Object> parse(String yaml) {
        return asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
    }

    private static List<Map<String, Object>> kubernetesDocuments() {
        return kubernetesFiles().stream().flatMap(f -> loadAll(f).stream()).map(DeployManifestTest::asMap).toList();
    }

    private static List<Map<String, Object>> byKind(String kind) {
        return kubernetesDocuments().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Set<String> names(String kind) {
        return byKind(kind).stream().map(d -> str(d, "metadata", "name")).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    private static Map<String, Object> deployment() {
        List<Map<String, Object>> deployments = byKind("Deployment").stream()
                .filter(d -> DEPLOYMENT_NAME.equals(str(d, "metadata", "name"))).toList();
        assertEquals(1, deployments.size(), "expected exactly one Deployment named " + DEPLOYMENT_NAME + " in deploy/kubernetes/");
        return deployments.get(0);
    }

    private static List<Map<String, Object>> containers() {
        List<Map<String, Object>> containers = list(deployment(), "spec", "template", "spec", "containers").stream()
                .map(DeployManifestTest::asMap).toList();
        assertFalse(containers.isEmpty(), "Deployment: no containers");
        return containers;
    }

    private static Map<String, Object> podLabels() {
        return map(deployment(), "spec", "template", "metadata", "labels");
    }

    private static Set<Object> containerPorts(Map<String, Object> container) {
        Set<Object> ports = new java.util.HashSet<>();
        for (Object p : list(container, "ports")) {
            Map<String, Object> port = asMap(p);
            ports.add(port.get("containerPort"));
            if (port.get("name") != null) {
                ports.add(port.get("name"));
            }
        }
        return ports;
    }

    private static Map<String, Object> envVar(String name) {
        return containers().stream().flatMap(c -> list(c, "env").stream()).map(DeployManifestTest::asMap)
                .filter(e -> name.equals(e.get("name"))).findFirst().orElse(null);
    }

    private static String configValue(String key) {
        return byKind("ConfigMap").stream().map(c -> map(c, "data").get(key)).filter(Objects::nonNull)
                .map(String::valueOf).findFirst().orElse(null);
    }

    private static Map<String, Object> compose() {
        return asMap(loadAll(COMPOSE).get(0));
    }

    // ------------------------------------------------------------------ tree navigation

    private static Object get(Map<?, ?> root, String... path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(key);
        }
        return node;
    }

    private static String str(Map<?, ?> root, String... path) {
        Object value = get(root, path);
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<?, ?> root, String... path) {
        Object value = get(root, path);
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<?, ?> root, String... path) {
        Object value = get(root, path);
        return value instanceof List<?> ? (List<Object>) value : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node) {
        assertTrue(node instanceof Map, "expected a YAML mapping, found " + describe(node));
        return (Map<String, Object>) node;
    }

    private static String describe(Object node) {
        return node == null ? "nothing" : node.getClass().getSimpleName() + " " + node;
    }
}
