package dev.chatgptsso.provisioner.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The class-data archive {@code ./mvnw package} writes ({@code target/quarkus-app/app-cds.jsa}) holds a whole start,
 * not only Quarkus' static init. Started as the README's production line starts it (from the app directory, relative
 * paths, the recommended JVM options) but with {@code -Xshare:on}, so a start that cannot map it fails instead of
 * warning, the service loads the classes of Hibernate's session factory, Flyway, the HTTP server, the health
 * endpoint and its own resources from the archive. The start is the training start, which needs no database and
 * also shows that it ends by itself.
 */
class ClassDataArchiveIT {
    private static final String SHARED = "source: shared objects file";

    @Test
    void aStartMappingTheArchiveLoadsItsClassesFromIt() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // a JDK without its base archive (some jlink'd runtimes) cannot write a dynamic one: the build's profile
        // class-data-archive is then inactive and writes none
        assumeTrue(Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa")),
                "this JDK has no base CDS archive (lib/server/classes.jsa), so no class-data archive can be made with it");
        Path app = ServiceProcess.appDir();
        assertTrue(Files.isRegularFile(app.resolve("app-cds.jsa")), "./mvnw package writes " + app.resolve("app-cds.jsa"));
        Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve("class-data-archive.log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.5", "-XX:+UseSerialGC", "-Xms24m",
                "-Xmx160m", "-Xss512k", "-XX:SharedArchiveFile=app-cds.jsa", "-Xshare:on", "-Xlog:class+load=info",
                "-Dquarkus.profile=prod,cds-training", "-jar", "quarkus-run.jar").directory(app.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("PROVISIONER_"));
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertTrue(ended, "the training start ends by itself once ready (see " + log + ")");
        assertEquals(0, process.exitValue(), "the start with the archive mapped succeeds (see " + log + ")");

        List<String> loads = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains("[class,load]")).toList();
        Map<String, Boolean> sharedByClass = loads.stream().collect(Collectors.toMap(
                l -> l.replaceAll(".*\\[class,load\\] (\\S+) source:.*", "$1"), l -> l.contains(SHARED), (a, b) -> a || b));
        // the HTTP server by the verticle that deploys it, loaded once: HttpServerImpl is loaded by every event loop at
        // the same moment, and a class that threads define at once can come from its jar even though it is archived
        for (String name : List.of("io.agroal.pool.ConnectionPool", "org.flywaydb.core.Flyway",
                "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle", "io.smallrye.health.SmallRyeHealthReporter",
                "dev.chatgptsso.provisioner.integration.IntegrationResource", "dev.chatgptsso.provisioner.integration.CreateWorkflow")) {
            assertEquals(Boolean.TRUE, sharedByClass.get(name), name + " is loaded from the archive");
        }
        long shared = sharedByClass.values().stream().filter(Boolean::booleanValue).count();
        assertTrue(shared > 0.7 * sharedByClass.size(),
                "most classes of a start come from the archive: " + shared + " of " + sharedByClass.size());
    }
}
