package dev.chatgptsso.provisioner.support;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.fakeauthentik.SecretRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * After the whole test run (the JUnit launcher session surefire opens once per test JVM), scans the service's log
 * file of that run ({@code %test.quarkus.log.file.path}) for every secret the tests used: the API key secrets, the
 * fake authentik's tokens, the throw-away crypto key, and every OAuth2 client secret any fake authentik stored or
 * generated ({@link SecretRegistry}). A hit fails the run: the session close throws, which surefire reports as an
 * error of the test JVM and fails the build; the offending lines are also written to {@code target/secret-scan.txt}.
 *
 * <p>Registered in {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}; the log is
 * deleted when the session opens, so every run is scanned on its own.
 */
public class SecretLogScan implements LauncherSessionListener {
    /** Where {@code %test.quarkus.log.file.path} points, relative to the module directory surefire runs in. */
    static final Path LOG = Path.of("target", "quarkus-test.log");
    static final Path REPORT = Path.of("target", "secret-scan.txt");
    /** {@code %dev,test.provisioner.crypto.key} in application.properties. */
    static final String CRYPTO_KEY = "ZGV2LW9ubHktdGhyb3ctYXdheS1rZXktMzItYnl0ZXM=";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Files.deleteIfExists(LOG);
            Files.deleteIfExists(REPORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (!Files.exists(LOG)) {
            return; // no Quarkus test ran in this JVM
        }
        List<String> hits = scan(LOG, secrets());
        String summary = "[secret scan] " + LOG + ": " + secrets().size() + " secrets, " + hits.size() + " hits";
        System.out.println(summary);
        if (!hits.isEmpty()) {
            try {
                Files.write(REPORT, hits, StandardCharsets.UTF_8);
            } catch (IOException e) {
                // the exception below still fails the run
            }
            throw new AssertionError(summary + "; secrets were logged (see " + REPORT + "):\n" + String.join("\n", hits));
        }
    }

    static Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>(List.of(ApiTestSupport.ADMIN_KEY, ApiTestSupport.ACME_KEY, ApiTestSupport.GLOBEX_KEY,
                FakeAuthentik.ADMIN_TOKEN, FakeAuthentik.LIMITED_TOKEN, CRYPTO_KEY));
        secrets.addAll(SecretRegistry.all());
        return secrets;
    }

    /** Lines holding a secret, with the secret masked (the report itself must not repeat it). */
    static List<String> scan(Path log, Set<String> secrets) {
        List<String> hits = new ArrayList<>();
        try {
            int number = 0;
            // decoded leniently: hostile input may have left bytes that are not UTF-8
            for (String line : new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n", -1)) {
                number++;
                for (String secret : secrets) {
                    if (line.contains(secret)) {
                        String masked = line.replace(secret, secret.substring(0, Math.min(4, secret.length())) + "…(masked)");
                        hits.add(log + ":" + number + ": " + (masked.length() > 400 ? masked.substring(0, 400) + "…" : masked));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }
}
