package dev.chatgptsso.provisioner.instance;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import dev.chatgptsso.provisioner.Database;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotating the key authentik tokens are encrypted with: a second key is configured after the
 * first, new tokens are encrypted with it, tokens stored under the older key still decrypt, and
 * {@code POST /api/v1/admin/tokens/re-encrypt} moves them to the newest key.
 */
@QuarkusTest
@TestProfile(KeyRotationTests.TwoKeys.class)
class KeyRotationTests extends ApiTestSupport {
    /** The test profile's single key ({@code %test.provisioner.crypto.key}), id "default". */
    private static final String OLD_KEY = "ZGV2LW9ubHktdGhyb3ctYXdheS1rZXktMzItYnl0ZXM=";
    private static final String NEW_KEY = "bmV3LXRocm93LWF3YXkta2V5LWZvci10ZXN0cy0zMmI=";

    public static class TwoKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("provisioner.crypto.keys", "next:" + NEW_KEY);
        }
    }

    @Inject
    Database database;

    private String storedCiphertext(String instanceId) {
        return database.first("select api_token_ciphertext from authentik_instance where id = cast(? as uuid)", row -> row.getString(1),
                instanceId).orElseThrow();
    }

    @Test
    void newTokensUseTheNewestKeyOldOnesStillDecryptAndReEncryptMovesThem() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("keys", fake);
        assertTrue(storedCiphertext(ids[1]).startsWith("v2:next:"), "a new token is encrypted with the newest key");

        // as if the instance had been registered before the new key was added
        TokenCipher oldOnly = new TokenCipher(TokenCipherTest.config(OLD_KEY, null));
        String underOldKey = oldOnly.encrypt(FakeAuthentik.ADMIN_TOKEN, ids[1]);
        database.update("update authentik_instance set api_token_ciphertext = ? where id = cast(? as uuid)", underOldKey, ids[1]);
        assertTrue(storedCiphertext(ids[1]).startsWith("v2:default:"));

        admin().get("/api/v1/tenants/{t}/instances/{id}/health", ids[0], ids[1]).then().statusCode(200)
                .body("reachable", equalTo(true)).body("tokenValid", equalTo(true));
        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201);

        admin().post("/api/v1/admin/tokens/re-encrypt").then().statusCode(200)
                .body("instances", equalTo(1)).body("reencrypted", equalTo(1)).body("keyId", equalTo("next"));
        String moved = storedCiphertext(ids[1]);
        assertTrue(moved.startsWith("v2:next:"), "re-encrypted with the newest key");
        assertEquals(FakeAuthentik.ADMIN_TOKEN, new TokenCipher(TokenCipherTest.config(OLD_KEY, List.of("next:" + NEW_KEY)))
                .decrypt(moved, ids[1]), "the same token, now under the new key");
        admin().get("/api/v1/tenants/{t}/instances/{id}/health", ids[0], ids[1]).then().statusCode(200).body("tokenValid", equalTo(true));
        admin().post("/api/v1/admin/tokens/re-encrypt").then().statusCode(200).body("reencrypted", equalTo(0));
    }
}
