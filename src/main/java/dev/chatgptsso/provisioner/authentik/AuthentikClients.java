package dev.chatgptsso.provisioner.authentik;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.telemetry.Telemetry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds one typed REST client per authentik instance (base URL and token differ per tenant) and
 * reuses it, so connections to an instance are pooled, and gives each instance a fault-tolerance
 * guard of its own. A changed URL, token, TLS setting or CA bundle gives a new client and closes
 * the old one. Every request passes the outbound address policy first.
 */
@ApplicationScoped
public class AuthentikClients {
    private final ProvisionerConfig config;
    private final Telemetry telemetry;
    private final OutboundPolicy outboundPolicy;
    private final Map<UUID, Cached> byInstance = new ConcurrentHashMap<>();

    AuthentikClients(ProvisionerConfig config, Telemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
        this.outboundPolicy = new OutboundPolicy(config.outbound().allowPrivateNetworks());
    }

    /** How to reach one instance; {@code caBundlePem} (optional) replaces the JVM's trusted CAs for it. */
    public record Connection(String baseUrl, String apiToken, boolean verifyTls, String caBundlePem) {
        @Override
        public String toString() {
            return "Connection[" + baseUrl + ", apiToken=***]";
        }
    }

    private record Cached(String fingerprint, AuthentikApi api, AuthentikPublicApi publicApi, CallGuard guard) {}

    public OutboundPolicy outboundPolicy() {
        return outboundPolicy;
    }

    /** A client for a registered instance. */
    public AuthentikClient forInstance(UUID instanceId, Connection connection) {
        String fingerprint = fingerprint(connection);
        Cached cached = byInstance.compute(instanceId, (id, existing) -> {
            if (existing != null && existing.fingerprint().equals(fingerprint)) {
                return existing;
            }
            if (existing != null) {
                closeQuietly(existing.api());
                closeQuietly(existing.publicApi());
            }
            return new Cached(fingerprint, build(AuthentikApi.class, connection, true), build(AuthentikPublicApi.class, connection, false),
                    CallGuard.forInstance(id.toString(), config.authentik()));
        });
        return new AuthentikClient(cached.api(), cached.publicApi(), cached.guard(), AuthentikCallObserver.NONE, instanceId.toString(),
                telemetry);
    }

    /** Drops the instance's client (and its circuit breaker), e.g. after a registration that did not go through. */
    public void forget(UUID instanceId) {
        Cached cached = byInstance.remove(instanceId);
        if (cached != null) {
            closeQuietly(cached.api());
            closeQuietly(cached.publicApi());
        }
    }

    private <T> T build(Class<T> type, Connection connection, boolean withToken) {
        String root = connection.baseUrl().endsWith("/") ? connection.baseUrl().substring(0, connection.baseUrl().length() - 1)
                : connection.baseUrl();
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(withToken ? root + "/api/v3/" : root + "/"))
                .connectTimeout(config.authentik().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.authentik().readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .trustAll(!connection.verifyTls())
                .verifyHost(connection.verifyTls())
                .followRedirects(false)
                .register(new GuardOutbound(outboundPolicy))
                .register(new AuthentikHttpStatusException.Mapper());
        if (withToken) {
            builder.register(new BearerToken(connection.apiToken()));
        }
        if (connection.caBundlePem() != null && !connection.caBundlePem().isBlank()) {
            builder.trustStore(trustStore(connection.caBundlePem()), "");
        }
        return builder.build(type);
    }

    /** A key store holding every certificate of a PEM bundle; the instance's TLS server must chain to one of them. */
    public static KeyStore trustStore(String pemBundle) {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pemBundle.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("the CA bundle holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("the CA bundle is not a list of PEM certificates");
        }
    }

    @PreDestroy
    void closeAll() {
        byInstance.values().forEach(cached -> {
            closeQuietly(cached.api());
            closeQuietly(cached.publicApi());
        });
        byInstance.clear();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a pooled client cannot fail in a way that matters to the caller
        }
    }

    private static String fingerprint(Connection connection) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((connection.baseUrl() + "\n" + connection.verifyTls() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(String.valueOf(connection.caBundlePem()).getBytes(StandardCharsets.UTF_8));
            digest.update(connection.apiToken().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks the destination of every request, so a DNS change after registration cannot redirect calls inwards. */
    private static final class GuardOutbound implements ClientRequestFilter {
        private final OutboundPolicy policy;

        GuardOutbound(OutboundPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void filter(ClientRequestContext request) {
            policy.check(request.getUri().getScheme(), request.getUri().getHost());
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
