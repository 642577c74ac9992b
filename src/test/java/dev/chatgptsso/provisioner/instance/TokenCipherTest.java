package dev.chatgptsso.provisioner.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import java.lang.reflect.Proxy;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenCipherTest {
    private static final String KEY = key(0);
    private static final String OTHER_KEY = key(1);

    private static String key(int firstByte) {
        byte[] raw = new byte[32];
        raw[0] = (byte) firstByte;
        return Base64.getEncoder().encodeToString(raw);
    }

    static ProvisionerConfig config(String singleKey, List<String> keys) {
        ProvisionerConfig.Crypto crypto = (ProvisionerConfig.Crypto) Proxy.newProxyInstance(ProvisionerConfig.class.getClassLoader(),
                new Class<?>[] {ProvisionerConfig.Crypto.class},
                (proxy, method, args) -> method.getName().equals("key") ? Optional.ofNullable(singleKey)
                        : method.getName().equals("keys") ? Optional.ofNullable(keys) : null);
        return (ProvisionerConfig) Proxy.newProxyInstance(ProvisionerConfig.class.getClassLoader(), new Class<?>[] {ProvisionerConfig.class},
                (proxy, method, args) -> method.getName().equals("crypto") ? crypto : null);
    }

    @Test
    void roundTripsAndIsRandomised() {
        TokenCipher cipher = new TokenCipher(config(KEY, null));
        String a = cipher.encrypt("ak-token-123", "row-1");
        String b = cipher.encrypt("ak-token-123", "row-1");
        assertNotEquals(a, b, "a fresh IV per encryption");
        assertFalse(a.contains("ak-token-123"));
        assertTrue(a.startsWith("v2:default:"));
        assertEquals("ak-token-123", cipher.decrypt(a, "row-1"));
    }

    @Test
    void aCiphertextMovedToAnotherRowOrKeyDoesNotDecrypt() {
        TokenCipher cipher = new TokenCipher(config(KEY, null));
        String sealed = cipher.encrypt("ak-token-123", "row-1");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "row-2"));
        TokenCipher otherKey = new TokenCipher(config(OTHER_KEY, null));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> otherKey.decrypt(sealed, "row-1"));
        assertFalse(e.getMessage().contains("ak-token-123"));
    }

    @Test
    void keysMustBe32BytesAndOneIsRequired() {
        assertThrows(IllegalStateException.class, () -> new TokenCipher(config(Base64.getEncoder().encodeToString(new byte[16]), null)));
        assertThrows(IllegalStateException.class, () -> new TokenCipher(config("not base64!", null)));
        assertThrows(IllegalStateException.class, () -> new TokenCipher(config(null, List.of("no-separator"))));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> new TokenCipher(config(null, null)));
        assertTrue(none.getMessage().contains("provisioner.crypto.key"));
    }

    @Test
    void theNewestKeyEncryptsAndEveryKeyDecrypts() {
        TokenCipher before = new TokenCipher(config(null, List.of("2025:" + KEY)));
        String old = before.encrypt("ak-token-123", "row-1");

        TokenCipher rotated = new TokenCipher(config(null, List.of("2025:" + KEY, "2026:" + OTHER_KEY)));
        assertEquals("2026", rotated.currentKeyId());
        assertEquals("ak-token-123", rotated.decrypt(old, "row-1"), "records under the old key still decrypt");
        assertFalse(rotated.isCurrent(old));
        String fresh = rotated.encrypt("ak-token-123", "row-1");
        assertTrue(fresh.startsWith("v2:2026:"));
        assertTrue(rotated.isCurrent(fresh));

        TokenCipher oldKeyRemoved = new TokenCipher(config(null, List.of("2026:" + OTHER_KEY)));
        assertEquals("ak-token-123", oldKeyRemoved.decrypt(fresh, "row-1"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> oldKeyRemoved.decrypt(old, "row-1"));
        assertTrue(e.getMessage().contains("'2025'"), e.getMessage());
    }

    @Test
    void theFirstReleasesFormatIsReadWithTheDefaultKey() throws Exception {
        // v1:<base64(iv || ciphertext || tag)> as written before key ids existed
        javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        byte[] iv = new byte[12];
        aes.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(KEY), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, iv));
        aes.updateAAD("row-1".getBytes());
        byte[] sealed = aes.doFinal("ak-token-123".getBytes());
        byte[] out = new byte[iv.length + sealed.length];
        System.arraycopy(sealed, 0, out, iv.length, sealed.length);
        String v1 = "v1:" + Base64.getEncoder().encodeToString(out);

        TokenCipher cipher = new TokenCipher(config(null, List.of("default:" + KEY, "2026:" + OTHER_KEY)));
        assertEquals("ak-token-123", cipher.decrypt(v1, "row-1"));
        assertFalse(cipher.isCurrent(v1));
    }
}
