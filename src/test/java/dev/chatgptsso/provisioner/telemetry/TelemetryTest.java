package dev.chatgptsso.provisioner.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

/** Without tracing, no spans are built (Quarkus' tracer records them even with the SDK disabled); the meters stay. */
class TelemetryTest {
    private final SdkTracerProvider recordingTracers = SdkTracerProvider.builder().build();

    @Test
    void withTracingDisabledStepsAndCallsBuildNoSpansButAreStillMetered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Telemetry telemetry = new Telemetry(registry, recordingTracers.get("test"), true);

        Telemetry.StepSpan step = telemetry.startStep("prepare", "integration-1", "acme");
        Span call = telemetry.startCall(step.context(), "instance-1", "GET", "GET admin/version/", "integration-1");
        telemetry.endCall(call, "instance-1", "GET admin/version/", "200", 1_000_000, false);
        step.end(false);

        assertFalse(Span.fromContext(step.context()).getSpanContext().isValid(), "the step span is a no-op span");
        assertFalse(call.isRecording());
        assertFalse(call.getSpanContext().isValid());
        assertEquals(1, registry.get("provisioner.authentik.call").tag("instance", "instance-1").timer().count());
        assertEquals(1, registry.get("provisioner.authentik.call.duration").tag("status", "200").timer().count());
        assertEquals(1, registry.get("provisioner.step").tag("step", "prepare").timer().count());
    }

    @Test
    void withTracingEnabledStepsAndCallsAreRecordedSpans() {
        Telemetry telemetry = new Telemetry(new SimpleMeterRegistry(), recordingTracers.get("test"), false);

        Telemetry.StepSpan step = telemetry.startStep("prepare", "integration-1", "acme");
        Span call = telemetry.startCall(step.context(), "instance-1", "GET", "GET admin/version/", "integration-1");

        assertTrue(call.isRecording());
        assertEquals(Span.fromContext(step.context()).getSpanContext().getTraceId(), call.getSpanContext().getTraceId(),
                "the call is a child of its step");
        call.end();
        step.end(false);
    }
}
