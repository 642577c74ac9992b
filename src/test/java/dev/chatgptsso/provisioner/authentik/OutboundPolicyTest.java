package dev.chatgptsso.provisioner.authentik;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class OutboundPolicyTest {

    @Test
    void internalAddressesAreRecognised() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"}) {
            assertTrue(OutboundPolicy.isInternal(InetAddress.getByName(internal)), internal);
        }
        for (String external : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"}) {
            assertFalse(OutboundPolicy.isInternal(InetAddress.getByName(external)), external);
        }
    }

    @Test
    void plainHttpAndInternalHostsAreRefusedUnlessAllowed() {
        OutboundPolicy strict = new OutboundPolicy(false);
        assertThrows(OutboundAddressException.class, () -> strict.check("http", "8.8.8.8"));
        assertThrows(OutboundAddressException.class, () -> strict.check("https", "127.0.0.1"));
        assertThrows(OutboundAddressException.class, () -> strict.check("https", "169.254.169.254"));
        assertThrows(OutboundAddressException.class, () -> strict.check("https", "localhost"));
        assertThrows(OutboundAddressException.class, () -> strict.check("https", "no-such-host.invalid"));
        assertDoesNotThrow(() -> strict.check("https", "8.8.8.8"));

        OutboundPolicy allowing = new OutboundPolicy(true);
        assertDoesNotThrow(() -> allowing.check("http", "127.0.0.1"));
    }
}
