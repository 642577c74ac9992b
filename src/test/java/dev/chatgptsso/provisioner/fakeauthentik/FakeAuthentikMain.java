package dev.chatgptsso.provisioner.fakeauthentik;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the fake authentik on its own: {@code ./mvnw -Pfake-authentik}. Configured by the environment:
 * {@code FAKE_AUTHENTIK_VERSION} (default 2026.5.6), {@code FAKE_AUTHENTIK_PORT} (default 9000) and
 * {@code FAKE_AUTHENTIK_LATENCY_MS} (default 0). Stops on Ctrl+C.
 */
public final class FakeAuthentikMain {

    private FakeAuthentikMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String version = env("FAKE_AUTHENTIK_VERSION", "2026.5.6");
        int port = Integer.parseInt(env("FAKE_AUTHENTIK_PORT", "9000"));
        long latency = Long.parseLong(env("FAKE_AUTHENTIK_LATENCY_MS", "0"));
        FakeAuthentik fake = FakeAuthentik.start(new FakeAuthentik.Options(version, port, latency));
        dev.chatgptsso.provisioner.support.RecipeExpressions.registerOn(fake);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fake.close();
            stopped.countDown();
        }));
        System.out.printf("fake authentik %s listening on %s (latency %d ms)%n", version, fake.baseUrl(), latency);
        System.out.printf("API token (superuser akadmin): %s%n", FakeAuthentik.ADMIN_TOKEN);
        System.out.printf("API token (no permissions):    %s%n", FakeAuthentik.LIMITED_TOKEN);
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
