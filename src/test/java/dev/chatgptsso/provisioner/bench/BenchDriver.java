package dev.chatgptsso.provisioner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load driver of {@code bench/run}: talks to the packaged service over HTTP and reads the standalone fake
 * authentik's request log ({@code GET /_fake/requests} on its admin port) to see which authentik calls each
 * operation made and when. Everything is configured by environment variables (see {@code bench/run}); the result
 * table is printed and, with {@code BENCH_RESULTS_FILE}, written there as Markdown.
 *
 * <p>Scenarios, in order:
 * <ol>
 *   <li><b>probe</b>: one tenant, sequentially: register an instance, a cold create (the first on the instance),
 *       finalise, then {@code BENCH_WARM_CREATES} warm creates, one at a time with a quiet gap between them (measured
 *       again after the bulk run, when the service's code is compiled). For each
 *       operation the fake's log gives the calls it made and their timing; the number of sequential round trips
 *       is the longest chain of calls in which each call started after the previous one was answered, counting
 *       only calls answered before the service answered the client (the critical path).</li>
 *   <li><b>bulk</b>: {@code BENCH_TENANTS} tenants (tenant, instance, create, finalise each) on a fixed pool of
 *       {@code BENCH_CONCURRENCY} threads; wall time, throughput and the round-trip floor
 *       (sequential round trips per tenant from the probe × latency × tenants / concurrency).</li>
 *   <li><b>get</b>: {@code GET} of one integration at a fixed rate ({@code BENCH_GET_RATE}/s, open loop), latency
 *       measured from each request's scheduled send time, so a stalled service cannot hide queueing
 *       (no coordinated omission).</li>
 * </ol>
 */
public final class BenchDriver {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service = env("BENCH_SERVICE_URL", "http://127.0.0.1:8081");
    private final String fakeUrl = env("BENCH_FAKE_URL", "http://127.0.0.1:9001");
    private final String fakeAdmin = env("BENCH_FAKE_ADMIN_URL", "http://127.0.0.1:9002");
    private final String apiKey = env("BENCH_API_KEY", "bench-admin-key");
    private final String fakeToken = env("BENCH_FAKE_TOKEN", "fake-admin-token-0123456789");
    private final long latencyMs = Long.parseLong(env("BENCH_LATENCY_MS", "50"));
    private final int tenants = Integer.parseInt(env("BENCH_TENANTS", "1000"));
    private final int concurrency = Integer.parseInt(env("BENCH_CONCURRENCY", "50"));
    private final int warmCreates = Integer.parseInt(env("BENCH_WARM_CREATES", "50"));
    private final int getRate = Integer.parseInt(env("BENCH_GET_RATE", "1000"));
    private final int getSeconds = Integer.parseInt(env("BENCH_GET_SECONDS", "10"));
    private final int getWarmupSeconds = Integer.parseInt(env("BENCH_GET_WARMUP_SECONDS", "3"));
    private final int getThreads = Integer.parseInt(env("BENCH_GET_THREADS", "64"));
    private final String run = env("BENCH_RUN_ID", Long.toString(System.currentTimeMillis() % 1_000_000, 36));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new BenchDriver().runAll();
    }

    // ------------------------------------------------------------------ scenarios

    private void runAll() throws Exception {
        System.out.printf("bench: service %s, fake %s (latency %d ms), run %s%n", service, fakeUrl, latencyMs, run);
        startupRows();
        Probe probe = probe();
        Bulk bulk = bulk(probe);
        WarmRun afterBulk = warmRun(probe.tenant(), probe.instanceId(), "after-bulk-");
        System.out.printf("warm creates after the bulk run: p50 %.1f ms%n", pct(afterBulk.latencyMicros(), 50) / 1000.0);
        get(probe);
        report(probe, bulk, afterBulk);
    }

    private void startupRows() {
        String readyMs = System.getenv("BENCH_READY_MS");
        String quarkusStarted = System.getenv("BENCH_QUARKUS_STARTED_S");
        String rssKb = System.getenv("BENCH_RSS_KB");
        if (readyMs != null && !readyMs.isBlank()) {
            double seconds = Long.parseLong(readyMs) / 1000.0;
            row("start to ready (process start → /q/health/ready 200)", "≤ 2 s", fmt("%.2f s", seconds)
                    + (quarkusStarted == null || quarkusStarted.isBlank() ? "" : " (Quarkus log: started in " + quarkusStarted + " s)"),
                    seconds <= 2.0);
        }
        if (rssKb != null && !rssKb.isBlank()) {
            double mb = Long.parseLong(rssKb) / 1024.0;
            row("RSS after start (VmRSS)", "≤ 200 MB", fmt("%.0f MB", mb), mb <= 200);
        }
    }

    record Op(String name, long sendMicros, long answerMicros, int status) {}

    /**
     * @param authentikMicros time with at least one critical-path call in flight at the fake
     * @param serviceMicros   the rest of the operation's latency: the service's own work (database, JSON, scheduling)
     * @param beforeMicros    of that, from the client's send to the first critical-path call's arrival at the fake
     * @param afterMicros     of that, from the last critical-path answer to the client's receipt of the service's answer
     */
    record Calls(int total, int critical, int depth, int afterAnswer, List<String> paths, long authentikMicros, long serviceMicros,
                 long beforeMicros, long afterMicros) {}

    record Probe(String tenant, String instanceId, String integrationId, Calls register, Calls cold, Calls finalise,
                 WarmRun warm, long coldLatencyMicros) {}

    /** {@code BENCH_WARM_CREATES} creates on an instance already used, one at a time with a quiet gap between them. */
    record WarmRun(List<Calls> calls, long[] latencyMicros, double writes, String cpu) {}

    private WarmRun warmRun(String tenant, String instanceId, String slugPrefix) throws Exception {
        long gapMs = Math.max(300, 4 * latencyMs);
        int logStart = fakeCount();
        long xidBefore = xid();
        long serviceCpu = cpuMillis("BENCH_SERVICE_PID");
        long fakeCpu = cpuMillis("BENCH_FAKE_PID");
        List<Op> ops = new ArrayList<>();
        String path = "/api/v1/tenants/" + tenant + "/integrations";
        // one keep-alive socket, the body serialised before the clock starts and the answer parsed after it stops: the
        // latency is the service's, not the load driver's (java.net.http and Jackson inside the clock had added about 3 ms)
        try (KeepAliveHttp connection = new KeepAliveHttp(URI.create(service + "/"), "Bearer " + apiKey)) {
            for (int i = 0; i < warmCreates; i++) {
                byte[] body = JSON.writeValueAsBytes(createBody(slugPrefix + ops.size(), instanceId));
                long sent = nowMicros();
                KeepAliveHttp.Answer answer = connection.post(path, body);
                ops.add(new Op("warm-create", sent, nowMicros(), answer.status()));
                if (answer.status() != 201) System.out.println("  " + path + " -> " + answer.status() + " " + answer.body());
                Thread.sleep(gapMs);
            }
        }
        // the quiet gaps are in the interval too; an idle service uses next to no CPU
        String cpu = cpuPer(serviceCpu, fakeCpu, warmCreates, "warm create");
        double writes = xidBefore < 0 ? -1 : (xid() - xidBefore - 1) / (double) Math.max(1, warmCreates);
        for (Op op : ops) {
            expect(201, op.status(), op.name());
        }
        List<JsonNode> log = fakeRequests(logStart);
        List<Calls> calls = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            long windowEnd = i + 1 < ops.size() ? ops.get(i + 1).sendMicros() : Long.MAX_VALUE;
            calls.add(calls(log, ops.get(i), windowEnd));
        }
        long[] latency = ops.stream().mapToLong(op -> op.answerMicros() - op.sendMicros()).sorted().toArray();
        int slowest = 0;
        for (int i = 1; i < ops.size(); i++) {
            if (ops.get(i).answerMicros() - ops.get(i).sendMicros() > ops.get(slowest).answerMicros() - ops.get(slowest).sendMicros()) {
                slowest = i;
            }
        }
        if (!ops.isEmpty()) {
            Op op = ops.get(slowest);
            System.out.printf("  slowest warm create (%s): %.1f ms, %s%n", slugPrefix + slowest, (op.answerMicros() - op.sendMicros()) / 1000.0,
                    describe(calls.get(slowest)));
        }
        return new WarmRun(calls, latency, writes, cpu);
    }

    /** One tenant, one operation at a time, so the fake's log can be cut into each operation's calls. */
    private Probe probe() throws Exception {
        System.out.println("probe: register, cold create, finalise, " + warmCreates + " warm creates (sequential)");
        long gapMs = Math.max(300, 4 * latencyMs);
        String tenant = "bench-" + run + "-probe";
        expect(201, post("/api/v1/tenants", Map.of("id", tenant, "displayName", "Bench probe")), "create tenant");
        int logStart = fakeCount();
        List<Op> ops = new ArrayList<>();

        Op register = timed("register", () -> post("/api/v1/tenants/" + tenant + "/instances", instanceBody("probe")));
        ops.add(register);
        String instanceId = lastBody.get("id").asText();
        Thread.sleep(gapMs);
        Op cold = timed("cold-create", () -> post("/api/v1/tenants/" + tenant + "/integrations", createBody("probe-cold", instanceId)));
        ops.add(cold);
        String integrationId = lastBody.get("id").asText();
        Thread.sleep(gapMs);
        Op finalise = timed("finalise", () -> post("/api/v1/tenants/" + tenant + "/integrations/" + integrationId + "/finalise",
                Map.of("loginRedirectUri", "https://auth.openai.com/sso/oidc/callback/conn_probe")));
        ops.add(finalise);
        Thread.sleep(gapMs);
        for (Op op : ops) {
            expect(op.name().equals("finalise") ? 200 : 201, op.status(), op.name());
        }
        List<JsonNode> log = fakeRequests(logStart);
        List<Calls> calls = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            long windowEnd = i + 1 < ops.size() ? ops.get(i + 1).sendMicros() : Long.MAX_VALUE;
            calls.add(calls(log, ops.get(i), windowEnd));
        }
        WarmRun warm = warmRun(tenant, instanceId, "probe-warm-");
        Probe probe = new Probe(tenant, instanceId, integrationId, calls.get(0), calls.get(1), calls.get(2), warm,
                cold.answerMicros() - cold.sendMicros());
        System.out.printf("  register: %s%n  cold create: %s%n  finalise: %s%n  first warm create: %s%n",
                describe(probe.register()), describe(probe.cold()), describe(probe.finalise()),
                warm.calls().isEmpty() ? "-" : describe(warm.calls().get(0)));
        return probe;
    }

    record Bulk(int ok, int failed, long wallMicros, long[] tenantMicros, int calls, double floorSeconds, int roundTrips, String cpu,
            String machineCpu, String serviceThreads) {}

    private Bulk bulk(Probe probe) throws Exception {
        System.out.printf("bulk: %d tenants (tenant + instance + create + finalise) at concurrency %d%n", tenants, concurrency);
        int logStart = fakeCount();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long[] perTenant = new long[tenants];
        long serviceCpu = cpuMillis("BENCH_SERVICE_PID");
        long fakeCpu = cpuMillis("BENCH_FAKE_PID");
        MachineCpu machineBefore = MachineCpu.now();
        Map<String, Long> threadsBefore = ThreadCpu.of("BENCH_SERVICE_PID");
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.execute(() -> {
                // one keep-alive connection per sender: java.net.http cost the driver about 3 ms of CPU per tenant
                try (KeepAliveHttp connection = new KeepAliveHttp(URI.create(service + "/"), "Bearer " + apiKey)) {
                    for (int i = next.getAndIncrement(); i < tenants; i = next.getAndIncrement()) {
                        long began = System.nanoTime();
                        try {
                            onboard(i, connection);
                            perTenant[i] = (System.nanoTime() - began) / 1000;
                        } catch (Exception e) {
                            perTenant[i] = -1;
                            failed.incrementAndGet();
                            if (errors.size() < 5) errors.add("tenant " + i + ": " + e.getMessage());
                        }
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(2, TimeUnit.HOURS)) throw new IllegalStateException("bulk did not finish");
        long wall = (System.nanoTime() - start) / 1000;
        String cpu = cpuPer(serviceCpu, fakeCpu, tenants, "tenant");
        String machineCpu = MachineCpu.now().since(machineBefore, serviceCpu, fakeCpu, tenants);
        String serviceThreads = ThreadCpu.since(threadsBefore, ThreadCpu.of("BENCH_SERVICE_PID"), tenants,
                serviceCpu < 0 ? -1 : cpuMillis("BENCH_SERVICE_PID") - serviceCpu);
        errors.forEach(e -> System.out.println("  error: " + e));
        int calls = fakeCount() - logStart;
        int roundTrips = probe.register().depth() + probe.cold().depth() + probe.finalise().depth();
        double floor = roundTrips * latencyMs / 1000.0 * tenants / concurrency;
        long[] ok = Arrays.stream(perTenant).filter(v -> v >= 0).sorted().toArray();
        System.out.printf("  %d ok, %d failed in %.2f s%n", ok.length, failed.get(), wall / 1e6);
        return new Bulk(ok.length, failed.get(), wall, ok, calls, floor, roundTrips, cpu, machineCpu, serviceThreads);
    }

    private void onboard(int i, KeepAliveHttp connection) throws Exception {
        String tenant = "bench-" + run + "-t" + i;
        expectBody(connection, 201, "/api/v1/tenants", Map.of("id", tenant, "displayName", "Bench tenant " + i), "create tenant");
        JsonNode instance = expectBody(connection, 201, "/api/v1/tenants/" + tenant + "/instances", instanceBody("prod"), "register instance");
        JsonNode created = expectBody(connection, 201, "/api/v1/tenants/" + tenant + "/integrations",
                createBody("chatgpt-" + run + "-" + i, instance.get("id").asText()), "create integration");
        expectBody(connection, 200, "/api/v1/tenants/" + tenant + "/integrations/" + created.get("id").asText() + "/finalise",
                Map.of("loginRedirectUri", "https://auth.openai.com/sso/oidc/callback/conn_" + i), "finalise");
    }

    private static JsonNode expectBody(KeepAliveHttp connection, int status, String path, Object body, String what) throws Exception {
        KeepAliveHttp.Answer answer = connection.post(path, JSON.writeValueAsBytes(body));
        if (answer.status() != status) {
            throw new IllegalStateException(what + ": " + answer.status() + " " + abbreviate(answer.body()));
        }
        return JSON.readTree(answer.body());
    }

    record GetResult(long[] micros, int sent, int errors, double seconds, long writes, String cpu, long serialP50, long serialP99) {}

    private GetResult getResult;

    /** Open loop: request n is due at start + n/rate; its latency counts from then, not from when a thread got to it. */
    private void get(Probe probe) throws Exception {
        int warmup = getRate * getWarmupSeconds;
        int total = warmup + getRate * getSeconds;
        System.out.printf("get: %d/s for %d s (+%d s warm-up), %d sender threads%n", getRate, getSeconds, getWarmupSeconds, getThreads);
        URI uri = URI.create(service + "/api/v1/tenants/" + probe.tenant() + "/integrations/" + probe.integrationId());
        long[] latency = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong lastDone = new AtomicLong();
        double periodNanos = 1e9 / getRate;
        long[] serial = new long[200];
        try (KeepAliveHttp connection = new KeepAliveHttp(uri, "Bearer " + apiKey)) {
            for (int i = 0; i < serial.length; i++) {
                long began = System.nanoTime();
                connection.send();
                serial[i] = (System.nanoTime() - began) / 1000;
            }
        }
        Arrays.sort(serial);
        long xidBefore = xid();
        long serviceCpu = cpuMillis("BENCH_SERVICE_PID");
        long driverCpu = ownCpuMillis();
        ExecutorService pool = Executors.newFixedThreadPool(getThreads);
        long start = System.nanoTime() + 50_000_000L;
        for (int t = 0; t < getThreads; t++) {
            pool.execute(() -> {
                try (KeepAliveHttp connection = new KeepAliveHttp(uri, "Bearer " + apiKey)) {
                    for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                        long due = start + (long) (n * periodNanos);
                        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        try {
                            if (connection.send() != 200) errors.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        long done = System.nanoTime();
                        latency[n] = (done - due) / 1000;
                        lastDone.accumulateAndGet(done, Math::max);
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) throw new IllegalStateException("get did not finish");
        double driverCpuPerGet = (ownCpuMillis() - driverCpu) / (double) total;
        long[] measured = Arrays.copyOfRange(latency, warmup, total);
        Arrays.sort(measured);
        double seconds = (lastDone.get() - (start + (long) (warmup * periodNanos))) / 1e9;
        String cpu = cpuPer(serviceCpu, -1, total, "GET") + fmt(" (load driver %.2f ms)", driverCpuPerGet);
        long writes = xidBefore < 0 ? -1 : xid() - xidBefore - 1;
        getResult = new GetResult(measured, total - warmup, errors.get(), seconds, writes, cpu, pct(serial, 50), pct(serial, 99));
        System.out.printf("  p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors%n", pct(measured, 50) / 1000.0,
                pct(measured, 99) / 1000.0, measured[measured.length - 1] / 1000.0, errors.get());
    }

    // ------------------------------------------------------------------ report

    private void report(Probe probe, Bulk bulk, WarmRun afterBulk) throws IOException {
        double rtt = 2.0 * latencyMs;
        List<Calls> allWarm = new ArrayList<>(probe.warm().calls());
        allWarm.addAll(afterBulk.calls());
        int warmMaxTotal = allWarm.stream().mapToInt(Calls::total).max().orElse(-1);
        int warmMaxDepth = allWarm.stream().mapToInt(Calls::depth).max().orElse(-1);
        int warmMinTotal = allWarm.stream().mapToInt(Calls::total).min().orElse(-1);
        int warmMinDepth = allWarm.stream().mapToInt(Calls::depth).min().orElse(-1);
        row("warm create: sequential authentik calls on the critical path", "≤ 2",
                range(warmMinDepth, warmMaxDepth) + " (over all " + allWarm.size() + " warm creates of both measurements)", warmMaxDepth <= 2);
        row("warm create: authentik calls in all", "≤ 3", range(warmMinTotal, warmMaxTotal), warmMaxTotal <= 3);
        warmRows(probe.warm(), "a fresh service (right after start)", rtt);
        warmRows(afterBulk, "after the bulk run (JIT-compiled service)", rtt);
        row("cold create (first on an instance): sequential round trips", "≤ 4",
                probe.cold().depth() + " (" + probe.cold().total() + " calls, " + fmt("%.0f ms", probe.coldLatencyMicros() / 1000.0) + ")",
                probe.cold().depth() <= 4);
        double wall = bulk.wallMicros() / 1e6;
        double limitBulk = 1.3 * bulk.floorSeconds();
        row(fmt("bulk: %d tenants at concurrency %d (floor: %d round trips × %d ms × %d / %d = %.1f s)", tenants, concurrency,
                        bulk.roundTrips(), latencyMs, tenants, concurrency, bulk.floorSeconds()),
                fmt("≤ %.1f s (1.3 × floor)", limitBulk),
                fmt("%.1f s (%.2f × floor), %.1f tenants/s", wall, wall / bulk.floorSeconds(), bulk.ok() / wall)
                        + (bulk.failed() > 0 ? ", " + bulk.failed() + " FAILED" : ""),
                wall <= limitBulk && bulk.failed() == 0);
        if (bulk.tenantMicros().length > 0) {
            row("bulk: one tenant's onboarding p50 / p99 (info)", "-",
                    fmt("%.0f / %.0f ms; %.1f authentik calls per tenant", pct(bulk.tenantMicros(), 50) / 1000.0,
                            pct(bulk.tenantMicros(), 99) / 1000.0, bulk.calls() / (double) Math.max(1, tenants))
                            + (bulk.cpu().isEmpty() ? "" : "; " + bulk.cpu()), null);
        }
        if (!bulk.machineCpu().isEmpty()) {
            row("bulk: where both cores' time went, per tenant (info)", "-", bulk.machineCpu(), null);
        }
        if (!bulk.serviceThreads().isEmpty()) {
            row("bulk: the service's CPU by thread, per tenant (info)", "-", bulk.serviceThreads(), null);
        }
        GetResult g = getResult;
        double getP99 = pct(g.micros(), 99) / 1000.0;
        row(fmt("GET one integration p99 at %d requests/s (open loop, %d s)", getRate, getSeconds), "≤ 10 ms",
                fmt("%.2f ms (p50 %.2f, max %.1f; achieved %.0f/s, %d errors%s%s)", getP99, pct(g.micros(), 50) / 1000.0,
                        g.micros()[g.micros().length - 1] / 1000.0, g.sent() / g.seconds(), g.errors(),
                        g.writes() < 0 ? "" : ", " + g.writes() + " database writes", g.cpu().isEmpty() ? "" : "; " + g.cpu()),
                getP99 <= 10 && g.errors() == 0);
        row("GET one integration, one at a time (closed loop, 200 requests before the open loop; info)", "-",
                fmt("p50 %.2f ms, p99 %.2f ms", g.serialP50() / 1000.0, g.serialP99() / 1000.0), null);

        notes.add("register: " + describe(probe.register()));
        notes.add("cold create: " + describe(probe.cold()));
        notes.add("finalise: " + describe(probe.finalise()));
        if (!probe.warm().calls().isEmpty()) notes.add("warm create: " + describe(probe.warm().calls().get(0)));

        StringBuilder md = new StringBuilder();
        md.append("| figure | target | measured | verdict |\n| --- | --- | --- | --- |\n");
        for (String[] r : rows) md.append("| ").append(String.join(" | ", r)).append(" |\n");
        md.append("\nAuthentik calls per operation (probe tenant, from the fake's log; `[n]` = step on the critical path, "
                + "`(after)` = answered after the service answered the client):\n\n");
        for (String n : notes) md.append("- ").append(n).append('\n');
        System.out.println();
        System.out.print(md);
        String file = System.getenv("BENCH_RESULTS_FILE");
        if (file != null && !file.isBlank()) Files.writeString(Path.of(file), md);
    }

    private void warmRows(WarmRun warm, String when, double rtt) {
        double p50 = pct(warm.latencyMicros(), 50) / 1000.0;
        double p99 = pct(warm.latencyMicros(), 99) / 1000.0;
        double limit = 1.15 * rtt;
        row("warm create latency p50, " + when + " (ratio to 2 × " + latencyMs + " ms)", fmt("≤ %.0f ms (1.15)", limit),
                fmt("%.1f ms (%.2f)", p50, p50 / rtt), p50 <= limit);
        row("warm create latency p99, " + when + " (ratio to 2 × " + latencyMs + " ms)", fmt("≤ %.0f ms (1.15)", limit),
                fmt("%.1f ms (%.2f)", p99, p99 / rtt), p99 <= limit);
        long[] service = warm.calls().stream().mapToLong(Calls::serviceMicros).sorted().toArray();
        long[] waiting = warm.calls().stream().mapToLong(Calls::authentikMicros).sorted().toArray();
        long[] before = warm.calls().stream().mapToLong(Calls::beforeMicros).sorted().toArray();
        long[] after = warm.calls().stream().mapToLong(Calls::afterMicros).sorted().toArray();
        long[] between = warm.calls().stream().mapToLong(c -> c.serviceMicros() - c.beforeMicros() - c.afterMicros()).sorted().toArray();
        row("warm create, " + when + ": where the time goes, p50 (info)", "-",
                fmt("%.1f ms waiting for authentik, %.1f ms in the service (before the first call %.1f, between calls %.1f, "
                                + "after the last answer %.1f)%s", pct(waiting, 50) / 1000.0, pct(service, 50) / 1000.0,
                        pct(before, 50) / 1000.0, pct(between, 50) / 1000.0, pct(after, 50) / 1000.0,
                        (warm.writes() < 0 ? "" : fmt("; %.1f database write transactions per create", warm.writes()))
                                + (warm.cpu().isEmpty() ? "" : "; " + warm.cpu())), null);
    }

    private void row(String figure, String target, String measured, Boolean ok) {
        rows.add(new String[] {figure, target, measured, ok == null ? "info" : ok ? "met" : "**missed**"});
    }

    private static String range(int min, int max) {
        return min == max ? Integer.toString(max) : min + "–" + max;
    }

    // ------------------------------------------------------------------ fake log analysis

    /**
     * The calls of one operation: those that arrived at the fake between the operation's send and {@code windowEnd}
     * (the next operation's send). Depth = longest chain where each call arrived after the previous was answered,
     * among the calls answered before the service answered the client.
     */
    static Calls calls(List<JsonNode> log, Op op, long windowEnd) {
        List<JsonNode> mine = log.stream().filter(r -> r.get("receivedMicros").asLong() >= op.sendMicros()
                && r.get("receivedMicros").asLong() < windowEnd).sorted(Comparator.comparingLong(r -> r.get("receivedMicros").asLong())).toList();
        List<JsonNode> critical = mine.stream().filter(r -> r.get("answeredMicros").asLong() > 0
                && r.get("answeredMicros").asLong() <= op.answerMicros()).toList();
        int[] depth = FakeAuthentik.TimedRequest.chainDepths(critical.stream().map(r -> new FakeAuthentik.TimedRequest(
                r.path("index").asInt(), r.path("method").asText(), r.path("path").asText(), r.path("status").asInt(),
                r.get("receivedMicros").asLong(), r.get("answeredMicros").asLong())).toList());
        int max = java.util.Arrays.stream(depth).max().orElse(0);
        List<String> paths = new ArrayList<>();
        for (JsonNode r : mine) {
            int index = critical.indexOf(r);
            String where = index >= 0 ? "[" + depth[index] + "]" : "(after)";
            paths.add(where + " " + r.get("method").asText() + " " + r.get("path").asText().replaceFirst("^/api/v3/", ""));
        }
        long busy = 0;
        long coveredUntil = Long.MIN_VALUE;
        for (JsonNode r : critical) { // sorted by arrival
            long from = Math.max(r.get("receivedMicros").asLong(), coveredUntil);
            long to = r.get("answeredMicros").asLong();
            if (to > from) {
                busy += to - from;
                coveredUntil = to;
            }
        }
        long latency = op.answerMicros() - op.sendMicros();
        long before = critical.isEmpty() ? latency - busy : critical.get(0).get("receivedMicros").asLong() - op.sendMicros();
        long after = critical.isEmpty() ? 0 : op.answerMicros() - coveredUntil;
        return new Calls(mine.size(), critical.size(), max, mine.size() - critical.size(), paths, busy, latency - busy, before, after);
    }

    private static String describe(Calls c) {
        return c.total() + " calls, " + c.depth() + " sequential on the critical path"
                + fmt(" (%.0f ms waiting for authentik, %.0f ms in the service)", c.authentikMicros() / 1000.0, c.serviceMicros() / 1000.0)
                + (c.afterAnswer() > 0 ? ", " + c.afterAnswer() + " after the answer" : "") + ": " + String.join(", ", c.paths());
    }

    /**
     * The database's next transaction id ({@code txid_current()}, which itself takes one): the difference over an
     * interval is the number of write transactions committed meanwhile (each one a synchronous commit). -1 without
     * {@code BENCH_JDBC_URL}.
     */
    private long xid() {
        String url = System.getenv("BENCH_JDBC_URL");
        if (url == null || url.isBlank()) return -1;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, env("BENCH_JDBC_USER", "postgres"), "");
             java.sql.ResultSet r = c.createStatement().executeQuery("select txid_current()")) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            System.out.println("  (no transaction count: " + e.getMessage() + ")");
            return -1;
        }
    }

    /** CPU time (user + system, ms) used so far by the process in {@code BENCH_SERVICE_PID} / {@code BENCH_FAKE_PID}; -1 if unknown. */
    static long cpuMillis(String pidVariable) {
        String pid = System.getenv(pidVariable);
        if (pid == null || pid.isBlank()) return -1;
        return cpuMillisOf(Path.of("/proc", pid, "stat"));
    }

    /** The same for this driver's own process. */
    static long ownCpuMillis() {
        return cpuMillisOf(Path.of("/proc/self/stat"));
    }

    private static long cpuMillisOf(Path procStat) {
        try {
            String stat = Files.readString(procStat);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based in proc(5)) -> index 11, 12 here
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / 100; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The whole machine's CPU time (all cores, from {@code /proc/stat}) and that of every PostgreSQL process (by its
     * command name in {@code /proc/<pid>/stat}: the server on this machine, whichever database it serves), so a run
     * can say where both cores' time went: service, fake, PostgreSQL, this driver, the rest, idle.
     */
    record MachineCpu(long busyMillis, long idleMillis, long postgresMillis, long driverMillis) {
        static MachineCpu now() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long[] v = Arrays.stream(cpu).skip(1).mapToLong(Long::parseLong).toArray();
                // user nice system idle iowait irq softirq steal (guest time is already in user)
                long idle = v[3] + v[4];
                long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
                long postgres = 0;
                try (var procs = Files.list(Path.of("/proc"))) {
                    for (Path proc : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                        try {
                            String stat = Files.readString(proc.resolve("stat"));
                            if (stat.contains("(postgres)")) {
                                postgres += Math.max(0, cpuMillisOf(proc.resolve("stat")));
                            }
                        } catch (IOException gone) {
                            // the process ended meanwhile
                        }
                    }
                }
                return new MachineCpu(busy * 10, idle * 10, postgres, ownCpuMillis()); // USER_HZ is 100 on Linux
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** "service 12.7, fake 3.5, PostgreSQL 4.1, load driver 1.2, the rest 0.3, idle 2.0 ms" over {@code count} tenants. */
        String since(MachineCpu before, long serviceBefore, long fakeBefore, int count) {
            long service = cpuMillis("BENCH_SERVICE_PID");
            long fake = cpuMillis("BENCH_FAKE_PID");
            if (before == null || serviceBefore < 0 || service < 0 || fakeBefore < 0 || fake < 0 || count <= 0) return "";
            double s = (service - serviceBefore) / (double) count;
            double f = (fake - fakeBefore) / (double) count;
            // a backend that ended during the run took its CPU time with it: PostgreSQL's share is a lower bound
            double p = Math.max(0, postgresMillis - before.postgresMillis) / (double) count;
            double d = (driverMillis - before.driverMillis) / (double) count;
            double busy = (busyMillis - before.busyMillis) / (double) count;
            double idle = (idleMillis - before.idleMillis) / (double) count;
            return fmt("service %.1f, fake authentik %.1f, PostgreSQL %.1f, load driver %.1f, the rest %.1f, idle %.1f ms",
                    s, f, p, d, Math.max(0, busy - s - f - p - d), idle);
        }
    }

    /**
     * CPU time (ms) of a process's threads, grouped by thread name without its number ({@code /proc/<pid>/task/*}/stat;
     * Linux keeps 15 characters of a name): {@code executor-thread-12} counts as {@code executor-thread}. A thread
     * that ended meanwhile took its time with it, so a group's figure is a lower bound.
     */
    static final class ThreadCpu {
        private ThreadCpu() {}

        static Map<String, Long> of(String pidVariable) {
            String pid = System.getenv(pidVariable);
            Map<String, Long> groups = new java.util.TreeMap<>();
            if (pid == null || pid.isBlank()) return groups;
            try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        long millis = cpuMillisOf(task.resolve("stat"));
                        if (millis >= 0) groups.merge(name.replaceAll("[-#\\s]*\\d+$", ""), millis, Long::sum);
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                return Map.of();
            }
            return groups;
        }

        /**
         * "executor-thread 6.1, vert.x-eventloo 2.3, ..., threads that ended or are not listed 1.2 ms" (largest first,
         * groups under 0.05 ms left out; the last part is the process's own figure, {@code processMillis}, less the
         * groups listed).
         */
        static String since(Map<String, Long> before, Map<String, Long> after, int count, long processMillis) {
            if (after.isEmpty() || count <= 0) return "";
            List<Map.Entry<String, Double>> groups = after.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / (double) count))
                    .filter(e -> e.getValue() >= 0.05)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .toList();
            String listed = groups.stream().map(e -> fmt("%s %.1f", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "));
            if (processMillis >= 0) {
                double rest = processMillis / (double) count - groups.stream().mapToDouble(Map.Entry::getValue).sum();
                listed += fmt(", threads that ended or are not listed %.1f", Math.max(0, rest));
            }
            return listed + " ms";
        }
    }

    /** "service 12.3 ms, fake 4.5 ms CPU per <unit>" for a CPU delta over {@code count} operations. */
    static String cpuPer(long serviceBefore, long fakeBefore, int count, String unit) {
        long service = cpuMillis("BENCH_SERVICE_PID");
        long fake = cpuMillis("BENCH_FAKE_PID");
        if (serviceBefore < 0 || service < 0 || count <= 0) return "";
        String text = fmt("service %.2f ms", (service - serviceBefore) / (double) count);
        if (fakeBefore >= 0 && fake >= 0) text += fmt(", fake authentik %.2f ms", (fake - fakeBefore) / (double) count);
        return text + " CPU per " + unit;
    }

    private int fakeCount() throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(fakeAdmin + "/_fake/requests/count")).GET().build()).body())
                .get("count").asInt();
    }

    private List<JsonNode> fakeRequests(int from) throws Exception {
        JsonNode all = JSON.readTree(send(HttpRequest.newBuilder(URI.create(fakeAdmin + "/_fake/requests?from=" + from)).GET().build()).body());
        List<JsonNode> list = new ArrayList<>();
        all.forEach(list::add);
        return list;
    }

    // ------------------------------------------------------------------ HTTP

    private JsonNode lastBody;

    interface Call {
        int run() throws Exception;
    }

    /** Runs one request, stamping send and answer with the wall clock the fake also uses. */
    private Op timed(String name, Call call) throws Exception {
        long sent = nowMicros();
        int status = call.run();
        return new Op(name, sent, nowMicros(), status);
    }

    /** POSTs and keeps the parsed body in {@link #lastBody} (single-threaded callers only). */
    private int post(String path, Object body) throws Exception {
        HttpResponse<String> answer = send(jsonPost(path, body));
        lastBody = answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
        if (answer.statusCode() >= 300) System.out.println("  " + path + " -> " + answer.statusCode() + " " + answer.body());
        return answer.statusCode();
    }

    private JsonNode expectBody(int status, String path, Object body, String what) throws Exception {
        HttpResponse<String> answer = send(jsonPost(path, body));
        if (answer.statusCode() != status) {
            throw new IllegalStateException(what + ": " + answer.statusCode() + " " + abbreviate(answer.body()));
        }
        return JSON.readTree(answer.body());
    }

    private HttpRequest jsonPost(String path, Object body) throws IOException {
        return HttpRequest.newBuilder(URI.create(service + path)).header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int expected, int actual, String what) {
        if (expected != actual) throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
    }

    private Map<String, Object> instanceBody(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("baseUrl", fakeUrl);
        body.put("apiToken", fakeToken);
        body.put("verifyTls", true);
        return body;
    }

    private static ObjectNode createBody(String slug, String instanceId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("instanceId", instanceId);
        body.put("protocol", "oidc");
        ObjectNode app = body.putObject("application");
        app.put("name", "ChatGPT " + slug);
        app.put("slug", slug);
        app.put("group", "AI");
        app.put("policyEngineMode", "any");
        return body;
    }

    // ------------------------------------------------------------------ helpers

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** Nearest-rank percentile of sorted values. */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
