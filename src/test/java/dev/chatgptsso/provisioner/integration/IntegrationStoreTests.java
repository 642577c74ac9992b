package dev.chatgptsso.provisioner.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The record's version-checked update, which writes every column of the entity except the lease's. */
@QuarkusTest
class IntegrationStoreTests extends ApiTestSupport {
    @Inject
    IntegrationStore store;

    @Inject
    EntityManager entityManager;

    @Inject
    IntegrationService service;

    private UUID anIntegration(String prefix) {
        String[] ids = tenantWithInstance(prefix, Fakes.of(Fakes.CURRENT));
        return UUID.fromString(createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id"));
    }

    /** The lease statements do not change the version: an update written from an earlier read must not put the old lease back. */
    @Test
    void anUpdateDoesNotOverwriteALeaseTakenAfterItsRead() {
        UUID id = anIntegration("steps-lease");
        store.update(id, integration -> {
            // between this update's read and its write, another process takes the (expired) lease
            QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                    "update integration set lease_owner = 'other-process', lease_until = now() + interval '1 minute' where id = ?1")
                    .setParameter(1, id).executeUpdate());
            integration.failureDetail = "changed by the update";
        });
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) entityManager.createNativeQuery(
                "select lease_owner, failure_detail from integration where id = ?1", Object[].class).setParameter(1, id).getSingleResult());
        assertEquals("other-process", row[0], "the lease taken meanwhile is kept");
        assertEquals("changed by the update", row[1], "the update itself is written");
    }

    /** An update of the caller's copy writes that copy as it is, and the copy goes on to the row's next version. */
    @Test
    void anUpdateOfACurrentCopyWritesItAndMovesItsVersionOn() {
        UUID id = anIntegration("steps-copy");
        Integration copy = store.byId(id).orElseThrow();
        long version = copy.rowVersion;
        Integration written = store.update(copy, integration -> integration.failureDetail = "first");
        assertSame(copy, written, "a current copy is written as it is");
        assertEquals(version + 1, written.rowVersion);
        store.update(written, integration -> integration.failureDetail = "second");
        Integration stored = store.byId(id).orElseThrow();
        assertEquals("second", stored.failureDetail);
        assertEquals(version + 2, stored.rowVersion, "each write of the copy was version-checked against the one before");
    }

    /** A copy read before another write is not written over that write: the change goes onto a fresh read. */
    @Test
    void anUpdateOfAStaleCopyAppliesTheChangeToAFreshRead() {
        UUID id = anIntegration("steps-stale");
        Integration stale = store.byId(id).orElseThrow();
        store.update(id, integration -> integration.failureStep = "written meanwhile");
        Integration written = store.update(stale, integration -> integration.failureDetail = "from the stale copy");
        assertNotSame(stale, written);
        Integration stored = store.byId(id).orElseThrow();
        assertEquals("written meanwhile", stored.failureStep, "the other write is kept");
        assertEquals("from the stale copy", stored.failureDetail, "the change itself is written");
        assertEquals(stored.rowVersion, written.rowVersion);
    }

    /** Inside a transaction the change is committed on its own and still lands on the caller's copy, which later steps read. */
    @Test
    void anUpdateOfACopyInsideATransactionCommitsOnItsOwnAndChangesTheCopy() {
        UUID id = anIntegration("steps-in-tx");
        Integration copy = store.byId(id).orElseThrow();
        Integration[] written = new Integration[1];
        IllegalStateException rolledBack = assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            written[0] = store.update(copy, integration -> integration.providerName = "named inside a transaction");
            throw new IllegalStateException("the caller's transaction rolls back");
        }));
        assertEquals("the caller's transaction rolls back", rolledBack.getMessage());
        assertEquals("named inside a transaction", copy.providerName, "the caller's copy has the change");
        assertEquals("named inside a transaction", written[0].providerName);
        assertEquals("named inside a transaction", store.byId(id).orElseThrow().providerName,
                "committed in a transaction of its own: the caller's rollback does not undo it");
    }

    /** Inside a transaction the tenant's record is read in that transaction's session, read-only: a change to it is not written. */
    @Test
    void aFindInsideATransactionIsReadOnlyAndScopedToTheTenant() {
        UUID id = anIntegration("steps-find-tx");
        String tenant = store.byId(id).orElseThrow().tenantId;
        QuarkusTransaction.requiringNew().run(() -> {
            Integration found = store.find(tenant, id).orElseThrow();
            assertTrue(store.find("another-tenant", id).isEmpty(), "another tenant's id is not found");
            found.failureDetail = "changed on a read-only copy";
        });
        assertEquals(null, store.byId(id).orElseThrow().failureDetail, "a read-only load is not flushed");
    }

    /** A lease says the record's version when it was taken, and nothing when another process holds it. */
    @Test
    void aLeaseSaysTheVersionItWasTakenAt() {
        UUID id = anIntegration("steps-lease-version");
        Integration copy = store.byId(id).orElseThrow();
        assertEquals(copy.rowVersion, store.tryLease(id, "this-process", Duration.ofMinutes(1)).orElseThrow());
        assertTrue(store.tryLease(id, "other-process", Duration.ofMinutes(1)).isEmpty(), "an unexpired lease of another process is refused");
        store.releaseLease(id, "this-process");
    }

    /** Work under the lease gets the caller's copy when nothing changed the record since, and a fresh read when something did. */
    @Test
    void workUnderTheLeaseGetsTheCallersCopyOnlyWhileItIsCurrent() {
        UUID id = anIntegration("steps-lease-copy");
        Integration current = store.byId(id).orElseThrow();
        assertSame(current, service.underLease(current, "test", (copy, log) -> copy), "a current copy is not read again");

        Integration stale = store.byId(id).orElseThrow();
        store.update(id, integration -> integration.failureDetail = "written meanwhile");
        Integration given = service.underLease(stale, "test", (copy, log) -> copy);
        assertNotSame(stale, given);
        assertEquals("written meanwhile", given.failureDetail, "a stale copy is replaced by a fresh read");
        assertTrue(store.tryLease(id, "other-process", Duration.ofMinutes(1)).isPresent(), "the lease was released after the work");
        store.releaseLease(id, "other-process");
    }
}
