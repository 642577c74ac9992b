package dev.chatgptsso.provisioner.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's own metrics and spans: one span and one timer sample per workflow step and per
 * authentik call. Attributes are ids and outcomes only, never bodies, tokens or secrets.
 *
 * <ul>
 *   <li>{@code provisioner.step} (timer): tags {@code step}, {@code outcome} ({@code ok}|{@code failed})</li>
 *   <li>{@code provisioner.authentik.call} (timer: count, sum and maximum): tags {@code instance}, {@code operation}
 *       ({@code GET providers/oauth2/{pk}/}), {@code status} (HTTP status, or {@code timeout},
 *       {@code unreachable}, {@code refused}, {@code circuit-open})</li>
 *   <li>{@code provisioner.authentik.call.duration} (timer with histogram buckets): the same calls over all instances,
 *       tags {@code operation}, {@code status}</li>
 * </ul>
 * Integrations by status and the reconciler backlog are gauges of {@code IntegrationGauges}; the
 * catalog cache's hit ratio comes from Caffeine's {@code cache.gets} meters.
 */
@ApplicationScoped
public class Telemetry {
    public static final String INTEGRATION_ID = "provisioner.integration.id";
    public static final String TENANT_ID = "provisioner.tenant.id";
    public static final String INSTANCE_ID = "provisioner.instance.id";

    private static final Pattern UUID_SEGMENT = Pattern.compile("/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/");
    private static final Pattern NUMBER_SEGMENT = Pattern.compile("/\\d+/");
    private static final Pattern SLUG_AFTER = Pattern.compile("(core/applications|flows/instances|application/o|application/saml)/[^/?{]+/");

    /**
     * Histogram buckets of the step timer and of the call timer over all instances: fixed and few. The timer per
     * instance has none: twelve bucket series per instance, operation and status made a scrape tens of kilobytes per
     * tenant, and the service's memory grew with them.
     */
    static final Duration[] BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Tracer tracer;
    /** Timers already registered, by their tags: a lookup here is cheaper than building a meter id on every call. */
    private final Map<CallTimer, Timer> callTimers = new ConcurrentHashMap<>();
    private final Map<CallDuration, Timer> callDurations = new ConcurrentHashMap<>();
    private final Map<StepTimer, Timer> stepTimers = new ConcurrentHashMap<>();

    private record CallTimer(String instanceId, String operation, String status) {}

    private record CallDuration(String operation, String status) {}

    private record StepTimer(String step, boolean failed) {}

    /**
     * With the SDK disabled ({@code quarkus.otel.sdk.disabled}, the default) Quarkus still hands out an SDK tracer
     * that records every span and sends it nowhere; the spans here then come from a no-op tracer instead, so an
     * untraced deployment builds no spans, and its metrics carry no exemplars pointing at traces nobody keeps.
     */
    Telemetry(MeterRegistry registry, Tracer tracer,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean tracingDisabled) {
        this.registry = registry;
        this.tracer = tracingDisabled ? TracerProvider.noop().get("chatgpt-sso-provisioner") : tracer;
    }

    /** A step of one operation on one integration; ended by {@link StepSpan#end(boolean)}. */
    public StepSpan startStep(String step, String integrationId, String tenantId) {
        Span span = tracer.spanBuilder("step " + step).setParent(Context.current()).setAttribute(INTEGRATION_ID, integrationId)
                .setAttribute(TENANT_ID, tenantId == null ? "" : tenantId).setAttribute("provisioner.step", step).startSpan();
        return new StepSpan(this, step, span, Context.current().with(span), System.nanoTime());
    }

    /** One attempt of an authentik call, as a client span under {@code parent}; {@code operation} from {@link #operation}. */
    public Span startCall(Context parent, String instanceId, String method, String operation, String integrationId) {
        var builder = tracer.spanBuilder("authentik " + operation).setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute(INSTANCE_ID, instanceId).setAttribute("http.request.method", method);
        if (integrationId != null) {
            builder.setAttribute(INTEGRATION_ID, integrationId);
        }
        return builder.startSpan();
    }

    public void endCall(Span span, String instanceId, String operation, String status, long nanos, boolean failed) {
        span.setAttribute("provisioner.authentik.status", status);
        if (failed) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
        callTimers.computeIfAbsent(new CallTimer(instanceId, operation, status), key -> Timer.builder("provisioner.authentik.call")
                .description("calls to authentik, per attempt and instance")
                .tag("instance", key.instanceId()).tag("operation", key.operation()).tag("status", key.status())
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        callDurations.computeIfAbsent(new CallDuration(operation, status), key -> Timer.builder("provisioner.authentik.call.duration")
                .description("calls to authentik, per attempt, all instances")
                .tag("operation", key.operation()).tag("status", key.status())
                .serviceLevelObjectives(BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void stepEnded(String step, boolean failed, long nanos) {
        stepTimers.computeIfAbsent(new StepTimer(step, failed), key -> Timer.builder("provisioner.step")
                .description("workflow steps of integration operations")
                .tag("step", step).tag("outcome", failed ? "failed" : "ok")
                .serviceLevelObjectives(BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A path with its pks, uuids and slugs replaced by placeholders, so tags stay few. */
    public static String operation(String method, String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        bare = UUID_SEGMENT.matcher(bare).replaceAll("/{uuid}/");
        bare = NUMBER_SEGMENT.matcher(bare).replaceAll("/{pk}/");
        bare = SLUG_AFTER.matcher(bare).replaceAll("$1/{slug}/");
        return method + " " + bare;
    }

    /** The span and clock of one step. */
    public static final class StepSpan {
        private final Telemetry telemetry;
        private final String step;
        private final Span span;
        private final Context context;
        private final long startNanos;

        StepSpan(Telemetry telemetry, String step, Span span, Context context, long startNanos) {
            this.telemetry = telemetry;
            this.step = step;
            this.span = span;
            this.context = context;
            this.startNanos = startNanos;
        }

        public Context context() {
            return context;
        }

        public void end(boolean failed) {
            if (failed) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
            telemetry.stepEnded(step, failed, System.nanoTime() - startNanos);
        }
    }
}
