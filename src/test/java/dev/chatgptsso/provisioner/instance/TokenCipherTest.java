package dev.chatgptsso.provisioner.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenCipherTest {

    static ProvisionerConfig configWithKey(String base64Key) {
        ProvisionerConfig.Crypto crypto = () -> base64Key;
        return (ProvisionerConfig) Proxy.newProxyInstance(ProvisionerConfig.class.getClassLoader(), new Class<?>[] {ProvisionerConfig.class},
                (proxy, method, args) -> method.getName().equals("crypto") ? crypto : null);
    }

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void roundTripsAndIsRandomised() {
        TokenCipher cipher = new TokenCipher(configWithKey(KEY));
        String a = cipher.encrypt("ak-token-123", "row-1");
        String b = cipher.encrypt("ak-token-123", "row-1");
        assertNotEquals(a, b, "a fresh IV per encryption");
        assertFalse(a.contains("ak-token-123"));
        assertEquals("ak-token-123", cipher.decrypt(a, "row-1"));
    }

    @Test
    void aCiphertextMovedToAnotherRowOrKeyDoesNotDecrypt() {
        TokenCipher cipher = new TokenCipher(configWithKey(KEY));
        String sealed = cipher.encrypt("ak-token-123", "row-1");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "row-2"));
        byte[] other = new byte[32];
        other[0] = 1;
        TokenCipher otherKey = new TokenCipher(configWithKey(Base64.getEncoder().encodeToString(other)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> otherKey.decrypt(sealed, "row-1"));
        assertFalse(e.getMessage().contains("ak-token-123"));
    }

    @Test
    void keysMustBe32Bytes() {
        assertThrows(IllegalStateException.class, () -> new TokenCipher(configWithKey(Base64.getEncoder().encodeToString(new byte[16]))));
        assertThrows(IllegalStateException.class, () -> new TokenCipher(configWithKey("not base64!")));
    }

    @Test
    void internalAddressesAreRecognised() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                "100.64.0.1", "224.0.0.1", "::1", "fe80::1", "fd00::1"}) {
            assertTrue(InstanceUrlPolicy.isInternal(InetAddress.getByName(internal)), internal);
        }
        for (String external : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"}) {
            assertFalse(InstanceUrlPolicy.isInternal(InetAddress.getByName(external)), external);
        }
    }
}
