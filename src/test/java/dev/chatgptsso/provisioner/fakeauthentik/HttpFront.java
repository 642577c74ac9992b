package dev.chatgptsso.provisioner.fakeauthentik;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.Fault;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x HTTP side: records each request, applies latency and faults, runs the schema check on a worker
 * thread and the handlers on the event loop. Waiting is always done with timers, never by blocking a thread.
 */
final class HttpFront {

    private final FakeState state;
    private final Dispatcher dispatcher;
    private final RequestLog requestLog;
    private final FaultRegistry faults;
    private final List<String> schemaViolations;
    private final List<String> responseViolations;
    private final long latencyMillis;
    private final Vertx vertx;
    private final WorkerExecutor responseChecker;
    private final Object pendingLock = new Object();
    private int pendingResponseChecks;
    private HttpServer server;

    HttpFront(FakeState state, Dispatcher dispatcher, RequestLog requestLog, FaultRegistry faults,
              List<String> schemaViolations, List<String> responseViolations, long latencyMillis) {
        this.state = state;
        this.dispatcher = dispatcher;
        this.requestLog = requestLog;
        this.faults = faults;
        this.schemaViolations = schemaViolations;
        this.responseViolations = responseViolations;
        this.latencyMillis = latencyMillis;
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        this.responseChecker = vertx.createSharedWorkerExecutor("fake-authentik-answer-check", 1);
    }

    void start(int port) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false));
        router.route().handler(this::handle);
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                    .requestHandler(router)
                    .listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("fake authentik cannot listen on 127.0.0.1:" + port, e);
        }
    }

    int port() {
        return server.actualPort();
    }

    void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the fake authentik", e);
        }
    }

    private void handle(RoutingContext ctx) {
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        String query = ctx.request().query() == null ? "" : ctx.request().query();
        String body = ctx.body() == null || ctx.body().asString() == null ? "" : ctx.body().asString();
        RequestLog.Entry entry = requestLog.add(method, path, query, body);
        Fault fault = faults.onRequest(method, path);
        // the configured latency is the round trip as the caller sees it: the fake's own work happens within it, and
        // the answer leaves when it is over. An injected delay holds the request back before it is handled, so a
        // write still lands late, after the caller may have given up on it.
        long answerNotBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(latencyMillis);
        int epoch = state.epoch;
        later(fault instanceof Fault.Delay delay ? delay.millis() : 0, () -> {
            if (epoch != state.epoch) {
                // delayed past a reset (the test that sent it is over): it must not touch the next test's state
                drop(ctx, entry);
            } else {
                proceed(ctx, entry, fault, body, answerNotBeforeNanos);
            }
        });
    }

    /**
     * Runs {@code action} on the request's event loop once {@code notBeforeNanos} (System.nanoTime) has passed, to
     * the microsecond: a millisecond timer rounded up would add half a millisecond to every round trip on average.
     */
    private void at(long notBeforeNanos, Runnable action) {
        long nanos = notBeforeNanos - System.nanoTime();
        ContextInternal context = ContextInternal.current();
        if (nanos <= 0) {
            action.run();
        } else if (context != null) {
            context.nettyEventLoop().schedule(() -> context.runOnContext(ignored -> action.run()), nanos, TimeUnit.NANOSECONDS);
        } else {
            later(TimeUnit.NANOSECONDS.toMillis(nanos + 999_999), action);
        }
    }

    private void later(long millis, Runnable action) {
        if (millis <= 0) {
            action.run();
        } else {
            vertx.setTimer(millis, id -> action.run());
        }
    }

    private void proceed(RoutingContext ctx, RequestLog.Entry entry, Fault fault, String body, long answerNotBeforeNanos) {
        if (fault instanceof Fault.Status status) {
            at(answerNotBeforeNanos, () -> send(ctx, entry, statusAnswer(status)));
            return;
        }
        if (fault instanceof Fault.Drop) {
            at(answerNotBeforeNanos, () -> drop(ctx, entry));
            return;
        }
        Fault afterWrite = fault instanceof Fault.AfterWrite wrapper ? wrapper.then() : null;
        String authorization = ctx.request().getHeader("Authorization");
        ApiRequest request = new ApiRequest(entry.method, entry.path, queryParameters(ctx.queryParams()),
                ctx.request().getHeader("Content-Type"), body, baseUrl(ctx));
        vertx.executeBlocking(() -> validate(request, authorization), true).onComplete(result -> {
            List<String> violations = result.succeeded() ? result.result()
                    : List.of("validator failure: " + result.cause());
            violations.forEach(violation -> schemaViolations.add(entry.method + " " + entry.path + ": " + violation));
            ApiResponse response = dispatcher.dispatch(request, authorization, violations);
            if (checksResponse(request, response)) {
                checkResponseLater(entry, request, response);
            }
            at(answerNotBeforeNanos, () -> answer(ctx, entry, response, afterWrite));
        });
    }

    /**
     * Checking an answer costs up to a second the first time a response schema is used, more than the service's
     * test read timeout, so answers are sent at once and checked on a worker of their own (request checks never
     * queue behind them); {@link #awaitResponseChecks} lets readers of the violations wait for the backlog.
     */
    private void checkResponseLater(RequestLog.Entry entry, ApiRequest request, ApiResponse response) {
        int epoch = state.epoch;
        AuthentikVersion version;
        synchronized (state) {
            version = state.version; // the version that answered, even if setVersion follows before the check
        }
        if (!version.hasOwnSchemaFile()) {
            return;
        }
        synchronized (pendingLock) {
            pendingResponseChecks++;
        }
        responseChecker.executeBlocking(() -> validateResponse(version, request, response), false).onComplete(checked -> {
            List<String> problems = checked.succeeded() ? checked.result()
                    : List.of("validator failure: " + checked.cause());
            if (epoch == state.epoch) { // an answer from before a reset belongs to a test that is over
                problems.forEach(problem -> responseViolations.add(
                        entry.method + " " + entry.path + " -> " + response.status() + ": " + problem));
            }
            synchronized (pendingLock) {
                pendingResponseChecks--;
                pendingLock.notifyAll();
            }
        });
    }

    /** Waits (at most {@code timeoutMillis}) until every answer sent so far has been checked. */
    void awaitResponseChecks(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (pendingLock) {
            while (pendingResponseChecks > 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException(pendingResponseChecks + " answers of the fake authentik still unchecked after "
                            + timeoutMillis + " ms");
                }
                try {
                    pendingLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the answer checks", e);
                }
            }
        }
    }

    /**
     * Successful API answers the fake produced itself (not injected faults, not error answers, not the public
     * pages outside {@code /api/v3/}) are checked against the schema's response for that operation.
     */
    private static boolean checksResponse(ApiRequest request, ApiResponse response) {
        return request.path.startsWith("/api/v3/") && response.status() >= 200 && response.status() < 300;
    }

    private static List<String> validateResponse(AuthentikVersion version, ApiRequest request, ApiResponse response) {
        return SchemaValidator.forVersion(version)
                .map(validator -> validator.validateResponse(request.method, request.path, response.status(),
                        response.contentType(), response.body()))
                .orElse(List.of());
    }

    private List<String> validate(ApiRequest request, String authorization) {
        if (!request.path.startsWith("/api/v3/")) {
            return List.of(); // public pages outside the API (discovery document) are not in the schema
        }
        AuthentikVersion version;
        synchronized (state) {
            version = state.version;
        }
        return SchemaValidator.forVersion(version)
                .map(validator -> validator.validate(request.method, request.path, request.query, authorization,
                        request.contentType, request.body))
                .orElse(List.of());
    }

    private void answer(RoutingContext ctx, RequestLog.Entry entry, ApiResponse response, Fault afterWrite) {
        if (afterWrite == null) {
            send(ctx, entry, response);
        } else if (afterWrite instanceof Fault.Status status) {
            send(ctx, entry, statusAnswer(status));
        } else if (afterWrite instanceof Fault.Drop) {
            drop(ctx, entry);
        } else if (afterWrite instanceof Fault.Delay delay) {
            later(delay.millis(), () -> send(ctx, entry, response));
        }
    }

    private static ApiResponse statusAnswer(Fault.Status status) {
        String body = status.body() != null ? status.body()
                : Json.write(Json.object().put("detail", HttpResponseStatus.valueOf(status.code()).reasonPhrase()));
        return ApiResponse.raw(status.code(), "application/json", body,
                status.retryAfterSeconds() == null ? Map.of() : Map.of("Retry-After", String.valueOf(status.retryAfterSeconds())));
    }

    private static void send(RoutingContext ctx, RequestLog.Entry entry, ApiResponse response) {
        entry.status = response.status();
        entry.answeredMicros = RequestLog.nowMicros();
        HttpServerResponse out = ctx.response();
        if (out.ended() || out.closed()) {
            return;
        }
        out.setStatusCode(response.status());
        if (response.contentType() != null) {
            out.putHeader("Content-Type", response.contentType());
        }
        response.headers().forEach(out::putHeader);
        out.end(response.body());
    }

    private static void drop(RoutingContext ctx, RequestLog.Entry entry) {
        entry.status = 0;
        entry.answeredMicros = RequestLog.nowMicros();
        ctx.request().connection().close();
    }

    private static Map<String, List<String>> queryParameters(MultiMap params) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : params.names()) {
            query.put(name, new ArrayList<>(params.getAll(name)));
        }
        return query;
    }

    /** authentik builds absolute URLs from the Host header and scheme (or the X-Forwarded-* headers). */
    private String baseUrl(RoutingContext ctx) {
        String scheme = ctx.request().getHeader("X-Forwarded-Proto");
        if (scheme == null || scheme.isBlank()) {
            scheme = ctx.request().scheme() == null ? "http" : ctx.request().scheme();
        }
        String host = ctx.request().getHeader("X-Forwarded-Host");
        if (host == null || host.isBlank()) {
            host = ctx.request().getHeader("Host");
        }
        if (host == null || host.isBlank()) {
            host = "127.0.0.1:" + port();
        }
        return scheme + "://" + host;
    }
}
