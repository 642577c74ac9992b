package dev.chatgptsso.provisioner.fakeauthentik;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the fake authentik on its own: {@code ./mvnw -Pfake-authentik}. Configured by the environment:
 * {@code FAKE_AUTHENTIK_VERSION} (default 2026.5.6), {@code FAKE_AUTHENTIK_PORT} (default 9000) and
 * {@code FAKE_AUTHENTIK_LATENCY_MS} (default 0). Stops on Ctrl+C.
 *
 * <p>With {@code FAKE_AUTHENTIK_ADMIN_PORT} set, a separate admin listener on 127.0.0.1 (never part of
 * {@code /api/v3}, and not started by the tests' in-process fake) exposes the request log to other processes,
 * for the benchmark ({@code bench/run}):
 * <ul>
 *   <li>{@code GET /_fake/requests?from=N}: {@code [{"index","method","path","status","receivedMicros","answeredMicros"}]}
 *       for every request from arrival index N on (epoch microseconds, comparable with the caller's wall clock);</li>
 *   <li>{@code GET /_fake/requests/count}: {@code {"count": n}}.</li>
 * </ul>
 */
public final class FakeAuthentikMain {

    private FakeAuthentikMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String version = env("FAKE_AUTHENTIK_VERSION", "2026.5.6");
        int port = Integer.parseInt(env("FAKE_AUTHENTIK_PORT", "9000"));
        long latency = Long.parseLong(env("FAKE_AUTHENTIK_LATENCY_MS", "0"));
        FakeAuthentik fake = FakeAuthentik.start(new FakeAuthentik.Options(version, port, latency));
        dev.chatgptsso.provisioner.support.RecipeExpressions.registerOn(fake);
        String adminPort = System.getenv("FAKE_AUTHENTIK_ADMIN_PORT");
        HttpServer admin = adminPort == null || adminPort.isBlank() ? null : startAdmin(fake, Integer.parseInt(adminPort));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (admin != null) admin.stop(0);
            fake.close();
            stopped.countDown();
        }));
        System.out.printf("fake authentik %s listening on %s (latency %d ms)%n", version, fake.baseUrl(), latency);
        System.out.printf("API token (superuser akadmin): %s%n", FakeAuthentik.ADMIN_TOKEN);
        System.out.printf("API token (no permissions):    %s%n", FakeAuthentik.LIMITED_TOKEN);
        stopped.await();
    }

    private static HttpServer startAdmin(FakeAuthentik fake, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
            server.createContext("/_fake/requests", exchange -> {
                try {
                    String path = exchange.getRequestURI().getPath();
                    if (!"GET".equals(exchange.getRequestMethod())) {
                        reply(exchange, 405, Map.of("detail", "GET only"));
                    } else if (path.equals("/_fake/requests/count")) {
                        reply(exchange, 200, Map.of("count", fake.requestCount()));
                    } else if (path.equals("/_fake/requests") || path.equals("/_fake/requests/")) {
                        reply(exchange, 200, fake.timedRequests(fromParameter(exchange.getRequestURI().getQuery())));
                    } else {
                        reply(exchange, 404, Map.of("detail", "Not found."));
                    }
                } catch (RuntimeException e) {
                    reply(exchange, 400, Map.of("detail", String.valueOf(e.getMessage())));
                }
            });
            server.start();
            System.out.printf("admin (request log): http://127.0.0.1:%d/_fake/requests%n", server.getAddress().getPort());
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + " for the fake's admin endpoint", e);
        }
    }

    private static int fromParameter(String query) {
        if (query == null) return 0;
        for (String part : query.split("&")) {
            if (part.startsWith("from=")) return Integer.parseInt(part.substring(5));
        }
        return 0;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
