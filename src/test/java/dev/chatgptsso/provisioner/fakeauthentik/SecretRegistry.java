package dev.chatgptsso.provisioner.fakeauthentik;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every OAuth2 client secret any fake authentik in this JVM stored, received or generated, kept across resets, so
 * the log scan at the end of the test run knows which values must never appear.
 */
final class SecretRegistry {
    private static final Set<String> SECRETS = new LinkedHashSet<>();

    private SecretRegistry() {
    }

    static synchronized void record(String secret) {
        if (secret != null && !secret.isEmpty()) {
            SECRETS.add(secret);
        }
    }

    static synchronized List<String> all() {
        return List.copyOf(SECRETS);
    }
}
