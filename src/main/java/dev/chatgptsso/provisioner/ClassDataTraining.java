package dev.chatgptsso.provisioner;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The training start behind the class-data archive {@code app-cds.jsa}: {@code ./mvnw package} and the container
 * image run the jar once with {@code -XX:ArchiveClassesAtExit=app-cds.jsa -Dquarkus.profile=prod,cds-training}. The
 * {@code cds-training} profile (application.properties) starts the service without a database; once it listens,
 * this asks its own readiness endpoint once (as a probe does before any traffic) and ends the process, so the JVM
 * archives the classes a start to ready loads (those it can: about 70 % of a production start's come from the
 * archive and the JDK's own). Quarkus' own AppCDS archive, made in its generate mode, holds only the classes of its
 * static init: a start mapping it still loaded about 12,000 of its 14,000 classes from the jars.
 */
@ApplicationScoped
class ClassDataTraining {
    static final String PROFILE = "cds-training";

    @Inject
    HttpServer server;

    void exitOnceListening(@ObservesAsync HttpServerStart listening) {
        if (!ConfigUtils.getProfiles().contains(PROFILE)) {
            return;
        }
        try {
            askReadiness(listeningPort());
            Log.info("class-data training start: asked its own readiness endpoint (without a database it answers 503, as"
                    + " intended); exiting so the JVM writes its class-data archive");
        } catch (IOException | RuntimeException e) {
            Log.warnf("class-data training start: the readiness request failed (%s); the archive holds the start only", e.toString());
        } finally {
            // whatever happened, the training start must end: the build and the image's RUN wait for it
            Quarkus.asyncExit(0);
        }
    }

    /** The event can arrive before the server's port is published (it reads -1 until then). */
    private int listeningPort() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        int port = server.getPort();
        while (port <= 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the HTTP port", e);
            }
            port = server.getPort();
        }
        if (port <= 0) {
            throw new IllegalStateException("the HTTP server published no port within 30 s");
        }
        return port;
    }

    /** One plain HTTP/1.1 GET, read to the end: without a database the answer is 503, which is all the same here. */
    private static void askReadiness(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /q/health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // the body is not needed, only that the request ran through
            }
        }
    }
}
