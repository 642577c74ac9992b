package dev.chatgptsso.provisioner.fakeauthentik;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Every OAuth2 client secret any fake authentik in this JVM received in a provider write or generated, kept across
 * resets, so the log scan at the end of the test run ({@code support.SecretLogScan}) knows which values must never
 * appear. Kept in a system property: Quarkus loads test classes (and so this class) in its own class loader, the
 * JUnit launcher listener that scans sees another copy of every static field, but both share the JVM's properties.
 */
public final class SecretRegistry {
    /** Newline-separated secrets. */
    public static final String PROPERTY = "fake-authentik.client-secrets";

    private SecretRegistry() {
    }

    static void record(String secret) {
        if (secret == null || secret.isEmpty() || secret.indexOf('\n') >= 0) {
            return;
        }
        Properties properties = System.getProperties();
        synchronized (properties) {
            String known = properties.getProperty(PROPERTY, "");
            if (!all().contains(secret)) {
                properties.setProperty(PROPERTY, known.isEmpty() ? secret : known + "\n" + secret);
            }
        }
    }

    public static List<String> all() {
        String known = System.getProperty(PROPERTY, "");
        return known.isEmpty() ? List.of() : Arrays.asList(known.split("\n"));
    }
}
