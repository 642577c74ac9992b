package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.instance.InstanceCatalog;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The create sequence both protocols share: lookups (one round trip when cold, none when warm),
 * then authentik's atomic transactional create, then one parallel read-back. A failure at any step
 * compensates: whatever this attempt made is found by the names it chose and deleted, newest
 * first, and the record ends {@code failed}. The names are on the record from its first write
 * ({@link ProtocolSteps#nameObjects}), before any call that makes an object.
 */
@ApplicationScoped
class CreateWorkflow {
    private final IntegrationStore store;
    private final InstanceCatalog catalog;
    private final Steps steps;
    private final ProvisionerConfig config;

    CreateWorkflow(IntegrationStore store, InstanceCatalog catalog, Steps steps, ProvisionerConfig config) {
        this.store = store;
        this.catalog = catalog;
        this.steps = steps;
        this.config = config;
    }

    record Created(Integration integration, String clientSecret) {
        @Override
        public String toString() {
            return "Created[" + integration.id + "]";
        }
    }

    Created provision(ProtocolSteps.Context context, IntegrationApi.CreateIntegration request) {
        Integration integration = context.integration();
        ProtocolSteps protocol = steps.of(integration);
        StepLog log = context.log();
        boolean compensate = false;
        // the looked-up pks of the latest lookups, recorded with the outcome, also a failure's
        AtomicReference<Consumer<Integration>> uses = new AtomicReference<>(i -> {});
        try {
            log.enter("prepare");
            ProtocolSteps.Prepared prepared = protocol.prepare(context, request);
            uses.set(prepared.uses());

            log.enter("create-application-and-provider");
            compensate = true;
            prepared = transactionalCreate(protocol, context, request, prepared, uses);

            log.enter("read-back");
            Consumer<Integration> completion = protocol.readBack(context, prepared);

            log.enter("complete");
            Consumer<Integration> awaitingFinalise = i -> i.status = IntegrationStatus.AWAITING_FINALISE;
            Integration done = log.complete(integration, uses.get().andThen(completion).andThen(awaitingFinalise),
                    IntegrationStatus.AWAITING_FINALISE.value());
            Log.infof("integration %s: ChatGPT %s provisioned in %s as application %s", done.id, done.protocol,
                    context.instance().baseUrl, done.appSlug);
            return new Created(done, prepared.clientSecret());
        } catch (AuthentikCallException e) {
            String step = log.step();
            // a rejected (4xx) transactional create wrote nothing; anything after it, or an unknown outcome, may have
            boolean wroteSomething = compensate && !(step.equals("create-application-and-provider") && !e.outcomeUnknown());
            fail(context, wroteSomething, e.outcomeUnknown(), false, step, e.status(), e.getMessage(), uses.get());
            throw AuthentikProblems.of(e, step).with("integrationId", integration.id);
        } catch (ProblemException e) {
            String step = log.step();
            boolean wroteSomething = compensate && e.type() != ProblemType.APPLICATION_SLUG_TAKEN;
            fail(context, wroteSomething, false, false, step, null, e.getMessage(), uses.get());
            throw e.with("integrationId", integration.id).with("step", step);
        } catch (IntegrationStore.Unsettled e) {
            // the record is completed (objects in place) or in the reconciler's hands (it removes them): either way the
            // record and authentik agree, as long as nothing is removed here
            Log.errorf(e, "integration %s: the create could not record its end; nothing removed", integration.id);
            throw new ProblemException(ProblemType.INTERNAL, "the create could not record its end (the database failed, or the "
                    + "operation outlived its lease); read the integration: awaiting_finalise means it was recorded (its "
                    + "credentials can be read), otherwise it is cleaned up and ends failed", List.of(),
                    Map.of("integrationId", integration.id));
        } catch (RuntimeException e) {
            String step = log.step();
            Log.errorf(e, "integration %s: unexpected failure in step %s", integration.id, step);
            fail(context, compensate, true, false, step, null, "unexpected internal error", uses.get());
            throw e;
        }
    }

    /**
     * Sends the transactional create. Two 400s are handled here: a slug that is a leftover of our
     * own failed attempt is cleaned up (any other existing slug is a 409, and authentik wrote
     * nothing), and a cached pk that authentik no longer knows sends the lookups round again once.
     */
    private ProtocolSteps.Prepared transactionalCreate(ProtocolSteps protocol, ProtocolSteps.Context context,
            IntegrationApi.CreateIntegration request, ProtocolSteps.Prepared prepared, AtomicReference<Consumer<Integration>> uses) {
        AuthentikClient client = context.client();
        for (int attempt = 1; ; attempt++) {
            try {
                client.createApplicationWithProvider(prepared.request());
                return prepared;
            } catch (AuthentikCallException e) {
                if (!e.isStatus(400) || attempt > 1) {
                    throw e;
                }
                if (hasFieldError(e, "app.slug", null)) {
                    removeOwnLeftoverOrRefuse(context);
                } else if (hasFieldError(e, "provider.", "does not exist")) {
                    catalog.invalidate(context.instance().id);
                    context.log().note("ok", "authentik no longer knows a cached pk; looking up again");
                    context.log().enter("prepare");
                    prepared = protocol.prepare(context, request);
                    uses.set(prepared.uses());
                    context.log().enter("create-application-and-provider");
                } else {
                    throw e;
                }
            }
        }
    }

    private static boolean hasFieldError(AuthentikCallException e, String fieldPrefix, String messagePart) {
        return e.fieldErrors().stream().anyMatch(f -> f.field().startsWith(fieldPrefix)
                && (messagePart == null || f.message().contains(messagePart)));
    }

    /**
     * The slug exists. If its application is bound to a provider left by one of our own failed
     * attempts (recognised by the provider name we chose and recorded), that attempt's objects are
     * removed; anything else is a 409 and is never touched.
     */
    private void removeOwnLeftoverOrRefuse(ProtocolSteps.Context context) {
        Integration integration = context.integration();
        AuthentikClient client = context.client();
        context.log().enter("check-application-slug");
        Optional<Application> existing = client.application(integration.appSlug);
        String providerName = existing.map(Application::providerObj).map(p -> p.name()).orElse(null);
        Optional<Integration> owner = providerName == null ? Optional.empty()
                : store.failedForSlug(integration.instanceId, integration.appSlug).stream()
                        .filter(failed -> providerName.equals(failed.providerName)).findFirst();
        if (owner.isEmpty()) {
            throw new ProblemException(ProblemType.APPLICATION_SLUG_TAKEN,
                    "application slug '" + integration.appSlug + "' already exists in authentik and was not created by this service",
                    List.of(new Problem.FieldError("application.slug", "already exists in authentik")), Map.of());
        }
        context.log().enter("remove-leftover");
        removeAttemptObjects(client, owner.get());
        store.update(owner.get().id, i -> i.cleanupPending = false);
        context.log().note("ok", "removed application and provider left by failed integration " + owner.get().id);
        context.log().enter("create-application-and-provider");
    }

    /**
     * Marks the integration failed and, when this attempt may have written, removes what it made.
     * When authentik may still be carrying out a write that timed out, the lookup is repeated once
     * after a read timeout; if it still finds nothing, the record keeps {@code cleanupPending} and
     * the reconciler looks once more later.
     */
    void fail(ProtocolSteps.Context context, boolean compensate, boolean outcomeUnknown, boolean lookAgainLater, String step,
            Integer authentikStatus, String detail) {
        fail(context, compensate, outcomeUnknown, lookAgainLater, step, authentikStatus, detail, i -> {});
    }

    /**
     * @param lookAgainLater keep {@code cleanupPending} even when nothing was found now, so the
     *        reconciler looks once more after writes still on their way have had time to land
     *        (used when the process that sent them died)
     * @param uses           the looked-up pks the attempt used, recorded with the failure (nothing when it failed before)
     */
    void fail(ProtocolSteps.Context context, boolean compensate, boolean outcomeUnknown, boolean lookAgainLater, String step,
            Integer authentikStatus, String detail, Consumer<Integration> uses) {
        Integration integration = context.integration();
        StepLog log = context.log();
        boolean cleanupPending = lookAgainLater;
        if (compensate) {
            log.enter("compensate");
            try {
                boolean removed = removeAttemptObjects(context.client(), integration);
                if (!removed && outcomeUnknown) {
                    sleep(config.authentik().readTimeout().toMillis());
                    cleanupPending = !removeAttemptObjects(context.client(), integration) || lookAgainLater;
                }
            } catch (AuthentikCallException e) {
                cleanupPending = true;
                log.note("failed", "compensation incomplete: " + e.getMessage());
            }
        }
        boolean pending = cleanupPending;
        store.update(integration.id, uses.andThen(i -> {
            i.status = IntegrationStatus.FAILED;
            i.failureStep = step;
            i.failureStatus = authentikStatus;
            i.failureDetail = detail;
            i.cleanupPending = pending;
            i.applicationPk = null;
            i.providerPk = null;
        }));
        log.enter(step);
        log.state(IntegrationStatus.FAILED.value());
    }

    /** Deletes this attempt's application and provider if they exist (found by the provider name it chose); true if anything was found. */
    boolean removeAttemptObjects(AuthentikClient client, Integration integration) {
        ProtocolSteps protocol = steps.of(integration);
        Optional<Integer> providerPk = protocol.attemptProvider(client, integration);
        if (providerPk.isEmpty()) {
            return false;
        }
        Optional<Application> app = client.application(integration.appSlug);
        if (app.isPresent() && providerPk.get().equals(app.get().provider())) {
            client.deleteApplication(integration.appSlug);
        }
        protocol.deleteProvider(client, providerPk.get());
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
