package dev.chatgptsso.provisioner.integration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges {@code provisioner.integrations} (tag {@code status}) and
 * {@code provisioner.reconciler.backlog}. They are read from PostgreSQL by a scheduled job, never on
 * the scrape itself, so a slow database cannot stall {@code /q/metrics}; the figures are at most
 * one interval old and count every replica's records.
 */
@Startup
@ApplicationScoped
public class IntegrationGauges {
    private final IntegrationStore store;
    private final Reconciler reconciler;
    private final Map<IntegrationStatus, AtomicLong> byStatus = new EnumMap<>(IntegrationStatus.class);
    private final AtomicLong backlog = new AtomicLong();

    IntegrationGauges(IntegrationStore store, Reconciler reconciler, MeterRegistry registry) {
        this.store = store;
        this.reconciler = reconciler;
        for (IntegrationStatus status : IntegrationStatus.values()) {
            AtomicLong count = new AtomicLong();
            byStatus.put(status, count);
            Gauge.builder("provisioner.integrations", count, AtomicLong::get).description("integrations by status, all tenants")
                    .tag("status", status.value()).register(registry);
        }
        Gauge.builder("provisioner.reconciler.backlog", backlog, AtomicLong::get)
                .description("records waiting for the reconciler: interrupted operations and pending clean-ups").register(registry);
    }

    @Scheduled(every = "${provisioner.metrics.refresh-interval:15s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            Log.warnf("integration gauges not refreshed: %s", e.getMessage());
        }
    }

    /** Reads the counts now. */
    public void refresh() {
        Map<IntegrationStatus, Long> counts = new EnumMap<>(IntegrationStatus.class);
        store.countByStatus().forEach((value, count) -> IntegrationStatus.of(value).ifPresent(status -> counts.put(status, count)));
        byStatus.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L)));
        backlog.set(reconciler.backlog());
    }
}
