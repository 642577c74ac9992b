package dev.chatgptsso.provisioner.packaged;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a separate OS process, for black-box tests. */
final class ServiceProcess implements AutoCloseable {
    /** Secret of the admin key below; its sha-256 is what the process is configured with. */
    static final String ADMIN_KEY = "test-admin-key";
    private static final String ADMIN_KEY_ENTRY = "it-admin:944650a7cd0f9e14d5c4fb15edbffb7fa45fb9ed36a4fa9be3d7e5476ae51bd9:admin";
    private static final String CRYPTO_KEY = "ZGV2LW9ubHktdGhyb3ctYXdheS1rZXktMzItYnl0ZXM=";

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static Path appDir() {
        Path dir = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"));
        if (!Files.isRegularFile(dir.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("no packaged service at " + dir + "; run ./mvnw verify (it packages before the *IT tests)");
        }
        return dir;
    }

    /** Starts the jar against {@code jdbcUrl} with the given extra environment, and waits until it is ready. */
    static ServiceProcess start(String name, String jdbcUrl, Map<String, String> extraEnv) throws Exception {
        int port = freePort();
        Path logDir = Files.createDirectories(Path.of("target", "it-logs"));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", appDir().resolve("quarkus-run.jar").toString());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("PROVISIONER_"));
        env.putAll(Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(port),
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "PROVISIONER_CRYPTO_KEY", CRYPTO_KEY,
                "PROVISIONER_AUTH_API_KEYS", ADMIN_KEY_ENTRY,
                "PROVISIONER_OUTBOUND_ALLOW_PRIVATE_NETWORKS", "true"));
        env.putAll(extraEnv);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ServiceProcess service = new ServiceProcess(name, port, log, builder.start());
        service.awaitReady(Duration.ofSeconds(60));
        return service;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration limit) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + limit + ":\n" + tail());
    }

    /** SIGKILL: no shutdown hook runs, nothing is released, as when a pod is killed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill();
        }
    }

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
