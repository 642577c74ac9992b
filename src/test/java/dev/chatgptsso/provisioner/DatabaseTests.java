package dev.chatgptsso.provisioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a refused statement reaches the service: named by its index, without the refused row's values in any message. */
@QuarkusTest
class DatabaseTests {
    @Inject
    Database database;

    @Test
    void aRefusedRowIsNamedByItsConstraintAndItsValuesAreInNoMessage() {
        String id = "db-value-" + UUID.randomUUID();
        String insert = "insert into tenant (id, display_name, created_at) values (?, ?, now())";
        database.update(insert, id, "first");
        Database.UniqueViolation duplicate = assertThrows(Database.UniqueViolation.class, () -> database.update(insert, id, "second"));
        assertEquals("tenant_pkey", duplicate.constraint());

        Database.Failure notNull = assertThrows(Database.Failure.class,
                () -> database.update("update tenant set display_name = null where id = ?", id));
        assertEquals("database statement failed: SQL state 23502", notNull.getMessage());

        for (Throwable failure : new Throwable[] {duplicate, notNull}) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(id), "no message repeats the row: " + t.getMessage());
                assertFalse(String.valueOf(t.getMessage()).contains("first"), "no message repeats the row: " + t.getMessage());
            }
        }
    }
}
