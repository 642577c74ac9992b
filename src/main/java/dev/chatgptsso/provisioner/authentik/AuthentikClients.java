package dev.chatgptsso.provisioner.authentik;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.telemetry.Telemetry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
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
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

/**
 * The typed REST clients for authentik, and each registered instance's way through them. Instances
 * with the same TLS settings share one pair of clients (one connection pool, kept per host), and the
 * instance is chosen per call by its base URL and token; only a CA bundle of an instance's own gives
 * it clients of its own. One client per instance would hold a Vert.x HTTP client, its pool and its
 * request pipelines for every tenant (about 200 KB each). Each instance keeps its own fault-tolerance
 * guard. A changed URL, token or TLS setting takes effect on the next call. Every request passes the
 * outbound address policy first.
 */
@ApplicationScoped
public class AuthentikClients {
    private static final String NO_CA_BUNDLE = "";

    private final ProvisionerConfig config;
    private final Telemetry telemetry;
    private final OutboundPolicy outboundPolicy;
    private final Map<UUID, Cached> byInstance = new ConcurrentHashMap<>();
    private final Map<TlsSettings, Shared> byTlsSettings = new ConcurrentHashMap<>();

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

    /** What the clients themselves depend on; {@code caBundleSha256} is empty for the JVM's trusted CAs. */
    private record TlsSettings(boolean verifyTls, String caBundleSha256) {}

    private record Shared(AuthentikApi api, AuthentikPublicApi publicApi) {}

    private record Cached(String fingerprint, TlsSettings tls, Shared clients, String apiBase, String publicBase, String authorization,
            CallGuard guard) {
        @Override
        public String toString() {
            return "Cached[" + apiBase + ", authorization=***]";
        }
    }

    public OutboundPolicy outboundPolicy() {
        return outboundPolicy;
    }

    /** A client for a registered instance. */
    public AuthentikClient forInstance(UUID instanceId, Connection connection) {
        String fingerprint = fingerprint(connection);
        Cached cached = byInstance.get(instanceId);
        if (cached == null || !cached.fingerprint().equals(fingerprint)) {
            cached = replace(instanceId, connection, fingerprint);
        }
        return new AuthentikClient(cached.clients().api(), cached.clients().publicApi(), cached.apiBase(), cached.publicBase(),
                cached.authorization(), cached.guard(), AuthentikCallObserver.NONE, instanceId.toString(), telemetry);
    }

    /** Drops the instance's way in (and its circuit breaker), e.g. after a registration that did not go through. */
    public synchronized void forget(UUID instanceId) {
        Cached removed = byInstance.remove(instanceId);
        if (removed != null) {
            closeIfUnused(removed.tls());
        }
    }

    private synchronized Cached replace(UUID instanceId, Connection connection, String fingerprint) {
        Cached existing = byInstance.get(instanceId);
        if (existing != null && existing.fingerprint().equals(fingerprint)) {
            return existing;
        }
        boolean hasCaBundle = connection.caBundlePem() != null && !connection.caBundlePem().isBlank();
        TlsSettings tls = new TlsSettings(connection.verifyTls(), hasCaBundle ? sha256(connection.caBundlePem()) : NO_CA_BUNDLE);
        Shared clients = byTlsSettings.computeIfAbsent(tls, settings -> new Shared(build(AuthentikApi.class, connection),
                build(AuthentikPublicApi.class, connection)));
        String root = connection.baseUrl().endsWith("/") ? connection.baseUrl().substring(0, connection.baseUrl().length() - 1)
                : connection.baseUrl();
        Cached cached = new Cached(fingerprint, tls, clients, root + "/api/v3/", root + "/", "Bearer " + connection.apiToken(),
                CallGuard.forInstance(instanceId.toString(), config.authentik()));
        byInstance.put(instanceId, cached);
        if (existing != null && !existing.tls().equals(tls)) {
            closeIfUnused(existing.tls());
        }
        return cached;
    }

    /** Closes the clients of an instance's own CA bundle once no instance uses them; the shared ones stay. */
    private void closeIfUnused(TlsSettings tls) {
        if (tls.caBundleSha256().equals(NO_CA_BUNDLE) || byInstance.values().stream().anyMatch(cached -> cached.tls().equals(tls))) {
            return;
        }
        Shared unused = byTlsSettings.remove(tls);
        if (unused != null) {
            closeQuietly(unused.api());
            closeQuietly(unused.publicApi());
        }
    }

    /** The base URI is a placeholder: every call names its instance's base URL ({@code @Url}). */
    private <T> T build(Class<T> type, Connection connection) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create("http://authentik.invalid/"))
                .connectTimeout(config.authentik().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.authentik().readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, config.authentik().connectionsPerHost())
                .trustAll(!connection.verifyTls())
                .verifyHost(connection.verifyTls())
                .followRedirects(false)
                .register(new GuardOutbound(outboundPolicy))
                .register(new AuthentikHttpStatusException.Mapper());
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
    synchronized void closeAll() {
        byTlsSettings.values().forEach(shared -> {
            closeQuietly(shared.api());
            closeQuietly(shared.publicApi());
        });
        byTlsSettings.clear();
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
        return sha256(connection.baseUrl() + "\n" + connection.verifyTls() + "\n" + connection.caBundlePem() + "\n" + connection.apiToken());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
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
}
