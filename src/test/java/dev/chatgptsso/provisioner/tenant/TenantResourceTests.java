package dev.chatgptsso.provisioner.tenant;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.chatgptsso.provisioner.support.ApiTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import dev.chatgptsso.provisioner.Database;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class TenantResourceTests extends ApiTestSupport {
    @Inject
    Database database;

    @Test
    void createReadAndList() {
        String id = uniqueTenantId("acme");
        admin().body(Map.of("id", id, "displayName", "Acme Corp")).post("/api/v1/tenants").then()
                .statusCode(201)
                .header("Location", endsWith("/api/v1/tenants/" + id))
                .body("id", equalTo(id)).body("displayName", equalTo("Acme Corp")).body("createdAt", notNullValue());
        String createdAt = admin().get("/api/v1/tenants/{t}", id).then().statusCode(200).body("displayName", equalTo("Acme Corp"))
                .extract().path("createdAt");
        admin().get("/api/v1/tenants").then().statusCode(200).body("id", hasItem(id))
                .body("find { it.id == '" + id + "' }.createdAt", equalTo(createdAt));
    }

    /**
     * A created tenant is remembered when its insert commits, so the registration that follows does not read it back.
     * Tenants are never deleted; the row is removed behind the service's back only to show that nothing reads it.
     */
    @Test
    void aCreatedTenantIsRememberedWithoutReadingItBack() {
        String id = uniqueTenantId("remembered");
        admin().body(Map.of("id", id, "displayName", "Remembered")).post("/api/v1/tenants").then().statusCode(201);
        database.update("delete from tenant where id = ?", id);
        admin().get("/api/v1/tenants").then().statusCode(200).body("id", not(hasItem(id)));
        admin().get("/api/v1/tenants/{t}", id).then().statusCode(200).body("displayName", equalTo("Remembered"));
    }

    @Test
    void duplicateIdIsAConflict() {
        String id = uniqueTenantId("dup");
        admin().body(Map.of("id", id, "displayName", "One")).post("/api/v1/tenants").then().statusCode(201);
        admin().body(Map.of("id", id, "displayName", "Two")).post("/api/v1/tenants").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("/problems/tenant-exists"));
        admin().get("/api/v1/tenants/{t}", id).then().body("displayName", equalTo("One"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "a", "Acme", "-acme", "acme_corp", "acme corp", "acme/x", "ünicode",
            "a123456789012345678901234567890123456789012345678901234567890123"})
    void invalidIdsAreRefusedNamingTheField(String id) {
        admin().body(Map.of("id", id, "displayName", "X")).post("/api/v1/tenants").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors[0].field", equalTo("id"));
    }

    @Test
    void displayNameIsRequired() {
        admin().body(Map.of("id", uniqueTenantId("nameless"))).post("/api/v1/tenants").then().statusCode(400)
                .body("errors[0].field", equalTo("displayName"));
    }
}
