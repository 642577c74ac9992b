package dev.chatgptsso.provisioner.authentik;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds one typed REST client per authentik instance (base URL and token differ per tenant) and
 * reuses it, so connections to an instance are pooled. A changed URL, token or TLS setting gives
 * a new client and closes the old one.
 */
@ApplicationScoped
public class AuthentikClients {
    private final ProvisionerConfig config;
    private final Map<UUID, Cached> byInstance = new ConcurrentHashMap<>();

    AuthentikClients(ProvisionerConfig config) {
        this.config = config;
    }

    private record Cached(String fingerprint, AuthentikApi api) {}

    /** A client for a registered instance; {@code apiToken} is used only in the Authorization header. */
    public AuthentikClient forInstance(UUID instanceId, String baseUrl, String apiToken, boolean verifyTls) {
        String fingerprint = fingerprint(baseUrl, apiToken, verifyTls);
        Cached cached = byInstance.compute(instanceId, (id, existing) -> {
            if (existing != null && existing.fingerprint().equals(fingerprint)) {
                return existing;
            }
            if (existing != null) {
                closeQuietly(existing.api());
            }
            return new Cached(fingerprint, build(baseUrl, apiToken, verifyTls));
        });
        return new AuthentikClient(cached.api(), AuthentikCallObserver.NONE);
    }

    /** A short-lived client for an instance that is not registered yet (registration checks). Close it after use. */
    public ProbeClient probe(String baseUrl, String apiToken, boolean verifyTls) {
        AuthentikApi api = build(baseUrl, apiToken, verifyTls);
        return new ProbeClient(new AuthentikClient(api, AuthentikCallObserver.NONE), api);
    }

    public record ProbeClient(AuthentikClient client, AutoCloseable closeable) implements AutoCloseable {
        @Override
        public void close() {
            closeQuietly(closeable);
        }
    }

    private AuthentikApi build(String baseUrl, String apiToken, boolean verifyTls) {
        String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(root + "/api/v3/"))
                .connectTimeout(config.authentik().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.authentik().readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .trustAll(!verifyTls)
                .verifyHost(verifyTls)
                .followRedirects(false)
                .register(new BearerToken(apiToken))
                .register(new AuthentikHttpStatusException.Mapper())
                .build(AuthentikApi.class);
    }

    @PreDestroy
    void closeAll() {
        byInstance.values().forEach(cached -> closeQuietly(cached.api()));
        byInstance.clear();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a pooled client cannot fail in a way that matters to the caller
        }
    }

    private static String fingerprint(String baseUrl, String apiToken, boolean verifyTls) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((baseUrl + "\n" + verifyTls + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(apiToken.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the instance's token; the token never leaves this filter. */
    private static final class BearerToken implements ClientRequestFilter {
        private final String header;

        BearerToken(String token) {
            this.header = "Bearer " + token;
        }

        @Override
        public void filter(ClientRequestContext request) {
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, header);
        }

        @Override
        public String toString() {
            return "BearerToken[***]";
        }
    }
}
