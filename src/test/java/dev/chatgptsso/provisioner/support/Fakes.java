package dev.chatgptsso.provisioner.support;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One fake authentik per version for the whole test JVM; tests reset it before use. */
public final class Fakes {
    public static final String LEGACY = "2026.2.2";
    public static final String CURRENT = "2026.5.6";

    private static final Map<String, FakeAuthentik> RUNNING = new ConcurrentHashMap<>();

    private Fakes() {}

    public static FakeAuthentik of(String version) {
        FakeAuthentik fake = RUNNING.computeIfAbsent(version, v -> {
            FakeAuthentik started = FakeAuthentik.start(v);
            RecipeExpressions.registerOn(started);
            return started;
        });
        if (!fake.version().equals(version)) {
            fake.setVersion(version);
        }
        return fake;
    }

    /** A fake of its own (the caller closes it) that answers after {@code latencyMillis}, so calls made side by side overlap. */
    public static FakeAuthentik slow(String version, long latencyMillis) {
        FakeAuthentik slow = FakeAuthentik.start(FakeAuthentik.Options.defaults(version).withLatencyMillis(latencyMillis));
        RecipeExpressions.registerOn(slow);
        return slow;
    }

    public static Iterable<FakeAuthentik> all() {
        return RUNNING.values();
    }
}
