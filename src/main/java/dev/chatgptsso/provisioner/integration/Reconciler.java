package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.instance.AuthentikInstance;
import dev.chatgptsso.provisioner.instance.InstanceService;
import dev.chatgptsso.provisioner.web.LogContextFilter;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Finishes what a process left when it died mid-operation. Runs on every replica; a record is
 * worked by whoever takes its expired lease first (one UPDATE in PostgreSQL), so no two replicas
 * work the same record. A create left in {@code provisioning} is compensated to {@code failed}
 * with nothing left in authentik; a {@code deleting} one is deleted to the end; a finalise in
 * flight is written again (it is idempotent); a failed attempt whose clean-up was pending is
 * looked for once more.
 */
@ApplicationScoped
public class Reconciler {
    static final String ACTOR = "reconciler";
    private static final int BATCH = 20;

    private final IntegrationStore store;
    private final IntegrationService service;
    private final CreateWorkflow createWorkflow;
    private final Teardown teardown;
    private final Steps steps;
    private final InstanceService instances;
    private final ProvisionerConfig config;

    Reconciler(IntegrationStore store, IntegrationService service, CreateWorkflow createWorkflow, Teardown teardown, Steps steps,
            InstanceService instances, ProvisionerConfig config) {
        this.store = store;
        this.service = service;
        this.createWorkflow = createWorkflow;
        this.teardown = teardown;
        this.steps = steps;
        this.instances = instances;
        this.config = config;
    }

    @Scheduled(every = "${provisioner.reconciler.interval:15s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void scheduled() {
        runOnce();
    }

    /** Works through the current backlog once; returns how many records it brought to an end. */
    public int runOnce() {
        int finished = 0;
        List<UUID> backlog = store.unfinished(BATCH, settleTime());
        for (UUID id : backlog) {
            if (reconcile(id)) {
                finished++;
            }
        }
        return finished;
    }

    public long backlog() {
        return store.unfinishedCount(settleTime());
    }

    /** Long enough for a write whose answer was lost to have landed. */
    private Duration settleTime() {
        return config.authentik().readTimeout().multipliedBy(2);
    }

    private boolean reconcile(UUID id) {
        String owner = service.newLeaseOwner();
        if (store.tryLease(id, owner, config.reconciler().lease()).isEmpty()) {
            return false;
        }
        StepLog log = null;
        try {
            Integration integration = store.byId(id).orElseThrow();
            MDC.put(LogContextFilter.TENANT, integration.tenantId);
            MDC.put(LogContextFilter.INTEGRATION, id.toString());
            log = service.log(integration, ACTOR, owner);
            log.enter("reconcile");
            AuthentikInstance instance = instances.require(integration.tenantId, integration.instanceId);
            AuthentikClient client = instances.client(instance).observedBy(log);
            switch (integration.status) {
                case PROVISIONING -> {
                    log.note("ok", "the process creating this integration stopped; removing what it made");
                    createWorkflow.fail(new ProtocolSteps.Context(integration, instance, client, log), true, false, true, "interrupted", null,
                            "the service stopped while creating this integration; nothing of it is left in authentik, create it again");
                }
                case DELETING -> teardown.run(integration, log);
                case AWAITING_FINALISE -> {
                    if ("finalise".equals(integration.pendingOperation)) {
                        log.note("ok", "the process finalising this integration stopped; writing the finalise target again");
                        service.completeFinalise(integration, steps.of(integration), integration.pendingTarget, log);
                    }
                }
                case FAILED -> {
                    if (integration.cleanupPending) {
                        log.enter("remove-leftover");
                        createWorkflow.removeAttemptObjects(client, integration);
                        store.update(id, i -> i.cleanupPending = false);
                        log.note("ok", "looked for objects of the failed attempt once more and removed any");
                    }
                }
                default -> store.update(id, i -> {
                    i.pendingOperation = null;
                    i.pendingTarget = null;
                });
            }
            return true;
        } catch (RuntimeException e) {
            Log.warnf("reconciler: integration %s not finished this round: %s", id, e.getMessage());
            return false;
        } finally {
            if (log != null) {
                log.finish();
            }
            MDC.remove(LogContextFilter.TENANT);
            MDC.remove(LogContextFilter.INTEGRATION);
            service.releaseLease(log, id, owner); // a release that fails leaves the next records of this round their turn
        }
    }

    /** Lets the reconciler be switched off per replica ({@code provisioner.reconciler.enabled=false}). */
    @ApplicationScoped
    public static class Disabled implements Scheduled.SkipPredicate {
        private final ProvisionerConfig config;

        Disabled(ProvisionerConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.reconciler().enabled();
        }
    }
}
