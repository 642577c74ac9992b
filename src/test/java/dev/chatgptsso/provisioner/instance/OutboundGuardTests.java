package dev.chatgptsso.provisioner.instance;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import dev.chatgptsso.provisioner.Database;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The outbound address policy as production runs it ({@code provisioner.outbound.allow-private-networks=false}):
 * instance URLs on plain http or on loopback, private, link-local (the cloud metadata address) or
 * multicast hosts are refused at registration without any request leaving the service, and again
 * on every call, so an instance whose host later resolves inwards is not called.
 */
@QuarkusTest
@TestProfile(OutboundGuardTests.ProductionPolicy.class)
class OutboundGuardTests extends ApiTestSupport {
    /** The test profile's crypto key ({@code %test.provisioner.crypto.key}). */
    private static final String TEST_KEY = "ZGV2LW9ubHktdGhyb3ctYXdheS1rZXktMzItYnl0ZXM=";

    public static class ProductionPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("provisioner.outbound.allow-private-networks", "false");
        }
    }

    @Inject
    Database database;

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1", "https://localhost:9443", "https://169.254.169.254", "https://10.0.0.5",
            "https://192.168.1.10", "https://[::1]", "https://[fd00::1]", "https://224.0.0.1", "http://auth.example.com"})
    void internalOrPlainHttpInstanceUrlsAreRefusedBeforeAnyRequest(String baseUrl) {
        String tenant = createTenant(uniqueTenantId("guard"));
        admin().body(Map.of("name", "production", "baseUrl", baseUrl, "apiToken", FakeAuthentik.ADMIN_TOKEN, "verifyTls", true))
                .post("/api/v1/tenants/{t}/instances", tenant).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/outbound-address-refused")).body("errors.field", hasItem("baseUrl"));
        admin().get("/api/v1/tenants/{t}/instances", tenant).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void anInstanceWhoseHostNowResolvesInwardsIsNotCalled() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String tenant = createTenant(uniqueTenantId("guard-dns"));
        // as if it had been registered while its name still resolved to a public address
        UUID id = UUID.randomUUID();
        String ciphertext = new TokenCipher(TokenCipherTest.config(TEST_KEY, null)).encrypt(FakeAuthentik.ADMIN_TOKEN, id.toString());
        database.update("insert into authentik_instance (id, tenant_id, name, base_url, api_token_ciphertext, verify_tls, version, status, "
                + "checked_at, created_at) values (?, ?, 'production', ?, ?, true, '2026.5.6', 'ready', now(), now())",
                id, tenant, fake.baseUrl(), ciphertext);
        int before = fake.requestCount();

        admin().get("/api/v1/tenants/{t}/instances/{id}/health", tenant, id).then().statusCode(200)
                .body("reachable", equalTo(false)).body("detail", containsString("refused by the outbound address policy"));
        createIntegration(tenant, oidcRequest(id.toString(), "chatgpt")).then().statusCode(422)
                .body("type", equalTo("/problems/outbound-address-refused"));
        assertEquals(before, fake.requestCount(), "nothing was sent to the instance");
    }
}
