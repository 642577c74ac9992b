package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.UsedBy;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import dev.chatgptsso.provisioner.instance.AuthentikInstance;
import dev.chatgptsso.provisioner.instance.InstanceCatalog;
import dev.chatgptsso.provisioner.instance.InstanceService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes an integration from authentik: application, provider, then the service's own mappings
 * that no other provider uses, in that order (REFERENCE 14). Only objects that are still ours are
 * touched: the application by its recorded pk, the provider by the name we gave it. Objects already
 * gone are fine. Adopted integrations are only released. A failure half way leaves {@code deleting};
 * running it again (a retry, or the reconciler) finishes the job.
 */
@ApplicationScoped
class Teardown {
    private final IntegrationStore store;
    private final InstanceService instances;
    private final InstanceCatalog catalog;
    private final Steps steps;
    private final CreateWorkflow createWorkflow;

    Teardown(IntegrationStore store, InstanceService instances, InstanceCatalog catalog, Steps steps, CreateWorkflow createWorkflow) {
        this.store = store;
        this.instances = instances;
        this.catalog = catalog;
        this.steps = steps;
        this.createWorkflow = createWorkflow;
    }

    Integration run(Integration integration, StepLog log) {
        if (integration.status == IntegrationStatus.DELETED) {
            return integration;
        }
        AuthentikInstance instance = instances.require(integration.tenantId, integration.instanceId);
        AuthentikClient client = instances.client(instance).observedBy(log);
        boolean wasFailed = integration.status == IntegrationStatus.FAILED;
        if (integration.status != IntegrationStatus.DELETING) {
            store.update(integration.id, i -> i.status = IntegrationStatus.DELETING);
            log.enter("delete");
            log.state(IntegrationStatus.DELETING.value());
        }
        try {
            if (integration.adopted) {
                log.enter("release");
                log.note("ok", "adopted objects are left in authentik; the service no longer manages them");
            } else if (wasFailed) {
                if (integration.cleanupPending) {
                    log.enter("remove-leftover");
                    createWorkflow.removeAttemptObjects(client, integration);
                }
            } else {
                removeOwnObjects(integration, instance, client, log);
            }
        } catch (AuthentikCallException e) {
            log.note("failed", "deletion incomplete, the integration stays deleting; delete again to finish");
            throw AuthentikProblems.of(e, log.step()).with("integrationId", integration.id);
        }
        Integration deleted = store.update(integration.id, i -> {
            i.status = IntegrationStatus.DELETED;
            i.deletedAt = Database.now();
            i.cleanupPending = false;
            i.pendingOperation = null;
            i.pendingTarget = null;
        });
        log.enter("complete");
        log.state(IntegrationStatus.DELETED.value());
        return deleted;
    }

    private void removeOwnObjects(Integration integration, AuthentikInstance instance, AuthentikClient client, StepLog log) {
        ProtocolSteps protocol = steps.of(integration);
        Optional<ProtocolSteps.ProviderFacts> provider = integration.providerPk == null ? Optional.empty()
                : protocol.readProvider(client, integration.providerPk);
        boolean providerOurs = provider.isPresent() && provider.get().name().equals(integration.providerName);
        // a renamed slug still leads to our application through the provider it is bound to
        String slug = providerOurs && provider.get().assignedApplicationSlug() != null ? provider.get().assignedApplicationSlug()
                : integration.appSlug;

        log.enter("delete-application");
        if (integration.applicationPk != null) {
            Optional<Application> app = client.application(slug);
            if (app.isPresent() && app.get().pk().equals(integration.applicationPk.toString())) {
                client.deleteApplication(slug);
            } else if (app.isPresent()) {
                log.note("ok", "application '" + slug + "' is not the one this integration created; left alone");
            } else {
                log.note("ok", "application already gone");
            }
        }

        log.enter("delete-provider");
        if (providerOurs) {
            protocol.deleteProvider(client, integration.providerPk);
        } else if (provider.isPresent()) {
            log.note("ok", "provider " + integration.providerPk + " no longer carries the name this service gave it; left alone");
        } else if (integration.providerPk != null) {
            log.note("ok", "provider already gone");
        }

        log.enter("delete-mappings");
        for (String pk : integration.propertyMappingPks) {
            Optional<Map.Entry<String, String>> owned = instance.ownedMappings.entrySet().stream().filter(e -> e.getValue().equals(pk)).findFirst();
            if (owned.isPresent()) {
                removeOwnedMappingIfUnused(instance, client, log, owned.get().getKey(), pk);
            }
        }
    }

    private void removeOwnedMappingIfUnused(AuthentikInstance instance, AuthentikClient client, StepLog log, String purpose, String pk) {
        MappingKind kind = purpose.startsWith("saml-") ? MappingKind.SAML : MappingKind.SCOPE;
        Optional<List<UsedBy>> usedBy = client.mappingUsedBy(kind, pk);
        if (usedBy.isPresent() && !usedBy.get().isEmpty()) {
            log.note("ok", "mapping " + purpose + " kept: still used by " + usedBy.get().size() + " other provider(s)");
            return;
        }
        if (usedBy.isPresent()) {
            client.deleteMapping(kind, pk);
        }
        catalog.forgetOwned(instance, purpose);
    }

}
