package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationRequest;
import dev.chatgptsso.provisioner.instance.AuthentikInstance;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What differs between the OIDC and the SAML workflow: the lookups before the transactional
 * create, the read-back after it, how a finalise writes and checks, and how the objects of one
 * attempt are recognised. The sequence itself ({@link CreateWorkflow}) is shared.
 */
interface ProtocolSteps {

    /** One operation on one integration: who, where, and the step log every call is reported to. */
    record Context(Integration integration, AuthentikInstance instance, AuthentikClient client, StepLog log) {}

    /**
     * The transactional create, the looked-up pks it uses (recorded with its outcome), and the secret
     * to hand out once. {@code expected} carries protocol-specific inputs for the read-back.
     */
    record Prepared(TransactionalApplicationRequest request, Consumer<Integration> uses, String clientSecret, Object expected) {
        @Override
        public String toString() {
            return "Prepared[" + request + "]";
        }
    }

    /**
     * Names the objects a create will make (the provider's name, OIDC's client id) on the record before it is
     * first written, so that whatever the attempt leaves behind can be found by them after a failure or a crash.
     */
    void nameObjects(Integration draft);

    /** Looks up (in parallel when cold, from the catalog when warm) what the provider needs. */
    Prepared prepare(Context context, IntegrationApi.CreateIntegration request);

    /**
     * Reads back what authentik stored (in parallel), compares it with what was sent, and returns
     * the change that completes the record (pks, URLs). Throws a state-mismatch problem on a difference.
     */
    Consumer<Integration> readBack(Context context, Prepared prepared);

    /** The provider this attempt created, found by its deterministic name; empty when there is none. */
    Optional<Integer> attemptProvider(AuthentikClient client, Integration integration);

    /** What teardown and verify need to know about a provider: whose it is and which application it is bound to now. */
    record ProviderFacts(int pk, String name, String assignedApplicationSlug) {}

    /** The provider by pk; empty when authentik does not show it (deleted, or not visible to the token). */
    Optional<ProviderFacts> readProvider(AuthentikClient client, int providerPk);

    /** Deletes a provider of this protocol; false when authentik did not know it. */
    boolean deleteProvider(AuthentikClient client, int providerPk);

    /** Validates a finalise body for this protocol; returns the field errors (empty when valid). */
    List<dev.chatgptsso.provisioner.web.Problem.FieldError> finaliseProblems(IntegrationApi.Finalise body);

    /** The finalise target as stored while the write is in flight (so a restart can finish it). */
    String finaliseTarget(IntegrationApi.Finalise body);

    /** Whether an active integration was finalised with exactly this target. */
    boolean finalisedWith(Integration integration, String target);

    /** Writes the finalise target, reads it back, compares; returns the change that completes the record. */
    Consumer<Integration> finalise(Context context, String target);
}
