package dev.chatgptsso.provisioner.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.Fault;
import dev.chatgptsso.provisioner.integration.IntegrationGauges;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.CollectedSpans;
import dev.chatgptsso.provisioner.support.Fakes;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * The service's own figures: Prometheus meters for authentik calls, workflow steps, integrations by
 * status, the reconciler backlog and the catalog cache; one span per step and per authentik call
 * with tenant and integration ids (never secrets); and the integration id on every log line.
 */
@QuarkusTest
class ObservabilityTests extends ApiTestSupport {
    private static final String TRANSACTIONAL = "/api/v3/core/transactional/applications/";

    @Inject
    CollectedSpans spans;

    @Inject
    IntegrationGauges gauges;

    @Test
    void authentikCallsAndStepsAreMeteredByOperationStatusAndOutcome() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("metrics", fake);
        String before = metrics();
        double okWrites = Math.max(0, sample(before, "provisioner_authentik_call_seconds_count", "instance=\"" + ids[1] + "\"",
                "operation=\"PUT core/transactional/applications/\"", "status=\"200\""));

        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        finalise(ids[0], id, "https://auth.openai.com/sso/oidc/callback/conn_metrics").then().statusCode(200);
        fake.injectFault("PUT", TRANSACTIONAL, 1, Fault.status(500));
        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-b")).then().statusCode(502);

        String after = metrics();
        assertEquals(okWrites + 1, sample(after, "provisioner_authentik_call_seconds_count", "instance=\"" + ids[1] + "\"",
                "operation=\"PUT core/transactional/applications/\"", "status=\"200\""));
        assertEquals(1, sample(after, "provisioner_authentik_call_seconds_count", "instance=\"" + ids[1] + "\"",
                "operation=\"PUT core/transactional/applications/\"", "status=\"500\""));
        assertTrue(sample(after, "provisioner_authentik_call_seconds_count", "instance=\"" + ids[1] + "\"",
                "operation=\"PATCH providers/oauth2/{pk}/\"") >= 1, "paths are templated, not one series per pk");
        List<String> instanceSeries = after.lines().filter(line -> line.contains(ids[1])).toList();
        assertTrue(instanceSeries.stream().allMatch(line -> line.matches("provisioner_authentik_call_seconds_(count|sum|max)\\{.*")),
                "an instance adds its call counts, sums and maxima, no histogram and no fault-tolerance meters: " + instanceSeries.stream()
                        .filter(line -> !line.matches("provisioner_authentik_call_seconds_(count|sum|max)\\{.*")).findFirst().orElse(""));
        assertFalse(after.lines().anyMatch(line -> line.startsWith("http_client_requests") || line.startsWith("ft_")),
                "no REST-client timers (one series per URI) and no fault-tolerance meters (about 20 per instance)");
        String[] transactionalOk = {"operation=\"PUT core/transactional/applications/\"", "status=\"200\""};
        long buckets = after.lines().filter(line -> line.startsWith("provisioner_authentik_call_duration_seconds_bucket{")
                && Arrays.stream(transactionalOk).allMatch(line::contains)).count();
        assertEquals(12, buckets, "11 fixed buckets and +Inf per operation and status, over all instances");
        assertEquals(Math.max(0, sample(before, "provisioner_authentik_call_duration_seconds_bucket", transactionalOk[0], transactionalOk[1],
                "le=\"10.0\"")) + 1, sample(after, "provisioner_authentik_call_duration_seconds_bucket", transactionalOk[0], transactionalOk[1],
                "le=\"10.0\""), "every call within 10 s");
        assertEquals(Math.max(0, sample(before, "provisioner_authentik_call_duration_seconds_count", transactionalOk[0], transactionalOk[1])) + 1,
                sample(after, "provisioner_authentik_call_duration_seconds_count", transactionalOk[0], transactionalOk[1]));
        assertTrue(sample(after, "provisioner_step_seconds_count", "step=\"create-application-and-provider\"", "outcome=\"ok\"") >= 1);
        assertTrue(sample(after, "provisioner_step_seconds_count", "step=\"create-application-and-provider\"", "outcome=\"failed\"") >= 1);
        assertTrue(sample(after, "cache_gets_total", "cache=\"authentik-catalog\"", "result=\"hit\"") >= 1,
                "the second create found the instance's catalog cached");
        assertFalse(after.contains(FakeAuthentik.ADMIN_TOKEN), "no token in any label");
    }

    @Test
    void integrationsByStatusAndTheReconcilerBacklogAreGauges() {
        FakeAuthentik fake = Fakes.of(Fakes.LEGACY);
        String[] ids = tenantWithInstance("gauges", fake);
        gauges.refresh();
        double active = sample(metrics(), "provisioner_integrations", "status=\"active\"");
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        finalise(ids[0], id, "https://auth.openai.com/sso/oidc/callback/conn_gauges").then().statusCode(200);

        gauges.refresh();
        String after = metrics();
        assertEquals(active + 1, sample(after, "provisioner_integrations", "status=\"active\""));
        assertTrue(sample(after, "provisioner_reconciler_backlog") >= 0, "the backlog gauge is published");
    }

    @Test
    void everyStepAndAuthentikCallIsASpanCarryingIdsButNoSecret() throws Exception {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("spans", fake);
        var created = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract();
        String id = created.path("id");
        String secret = created.path("oidc.clientSecret");

        SpanData write = await(() -> spans.all().stream()
                .filter(s -> s.getName().equals("authentik PUT core/transactional/applications/"))
                .filter(s -> id.equals(s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(Telemetry.INTEGRATION_ID))))
                .findFirst());
        SpanData step = spans.all().stream().filter(s -> s.getSpanId().equals(write.getParentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("the call's span has no step span as parent"));
        assertEquals("step create-application-and-provider", step.getName());
        assertEquals(ids[0], step.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(Telemetry.TENANT_ID)));
        assertEquals(ids[1], write.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(Telemetry.INSTANCE_ID)));
        assertEquals(write.getTraceId(), step.getTraceId(), "one trace per request");
        for (SpanData span : spans.all()) {
            String text = span.getName() + span.getAttributes();
            assertFalse(text.contains(secret), "no client secret in span " + span.getName());
            assertFalse(text.contains(FakeAuthentik.ADMIN_TOKEN), "no token in span " + span.getName());
        }
    }

    @Test
    void logLinesOfARequestNameItsIntegration() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("mdc", fake);
        List<String[]> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord ext) {
                    synchronized (lines) {
                        lines.add(new String[] {ext.getFormattedMessage(), ext.getMdc("integrationId"), ext.getMdc("tenantId")});
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger("dev.chatgptsso");
        logger.addHandler(capture);
        String id;
        try {
            id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        } finally {
            logger.removeHandler(capture);
        }
        Pattern provisioned = Pattern.compile("integration (\\S+): ChatGPT oidc provisioned");
        String[] line = lines.stream().filter(l -> provisioned.matcher(l[0]).find()).findFirst()
                .orElseThrow(() -> new AssertionError("no 'provisioned' line among " + lines.size()));
        Matcher m = provisioned.matcher(line[0]);
        assertTrue(m.find());
        assertEquals(id, m.group(1));
        assertEquals(id, line[1], "the line carries the integration id in its logging context");
        assertEquals(ids[0], line[2], "and the tenant id");
    }

    private static <T> T await(java.util.function.Supplier<Optional<T>> lookup) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = lookup.get();
            if (found.isPresent()) return found.get();
            Thread.sleep(50);
        }
        throw new AssertionError("not exported within 10 s");
    }
}
