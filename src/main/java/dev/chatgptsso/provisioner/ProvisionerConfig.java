package dev.chatgptsso.provisioner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of the service, under the prefix {@code provisioner}. README lists them with their env form. */
@ConfigMapping(prefix = "provisioner")
public interface ProvisionerConfig {

    Auth auth();

    Crypto crypto();

    Outbound outbound();

    Authentik authentik();

    Chatgpt chatgpt();

    Idempotency idempotency();

    Reconciler reconciler();

    Verify verify();

    Metrics metrics();

    interface Auth {
        /** API keys as {@code <key-id>:<sha-256 hex of the secret>:<scope>}; scope is {@code admin} or {@code tenant:<tenant id>}. */
        @WithDefault(" ")
        List<String> apiKeys();

        Jwt jwt();

        interface Jwt {
            /** Accept bearer JWTs from the portal's identity provider besides API keys; issuer and keys come from {@code mp.jwt.verify.*}. */
            @WithDefault("false")
            boolean enabled();

            /** Claim holding the tenant id a JWT may act for. */
            @WithDefault("tenant")
            String tenantClaim();

            /** Value in the {@code groups} claim that grants admin scope instead. */
            @WithDefault("provisioner-admin")
            String adminGroup();
        }
    }

    interface Crypto {
        /** Base64 of a 32-byte AES-256-GCM key (key id {@code default}); the simple form of {@link #keys()}. */
        Optional<String> key();

        /** Keys as {@code <id>:<base64 of 32 bytes>}, oldest first: the last encrypts new tokens, every one decrypts. */
        Optional<List<String>> keys();
    }

    interface Outbound {
        /** Allow authentik instance URLs on loopback, private, link-local or multicast addresses and plain http (dev/test only). */
        @WithDefault("false")
        boolean allowPrivateNetworks();
    }

    interface Authentik {
        /** TCP connect timeout for calls to authentik. */
        @WithDefault("PT3S")
        Duration connectTimeout();

        /** Read timeout for one call to authentik. */
        @WithDefault("PT10S")
        Duration readTimeout();

        /** Most HTTP connections kept open to one authentik host (host and port); further calls wait for a free one. */
        @WithDefault("100")
        int connectionsPerHost();

        /** How often a call that is safe to repeat (reads, deletes, throttled calls) is retried. */
        @WithDefault("2")
        int retries();

        /** First delay between retries; doubles each time, up to 2 s. */
        @WithDefault("PT0.2S")
        Duration retryDelay();

        /** Random jitter added to each retry delay. */
        @WithDefault("PT0.1S")
        Duration retryJitter();

        /** Longest {@code Retry-After} of a 429 answer that is waited for before retrying. */
        @WithDefault("PT10S")
        Duration maxRetryAfter();

        CircuitBreaker circuitBreaker();

        interface CircuitBreaker {
            /** Calls in the rolling window of an instance's circuit breaker. */
            @WithDefault("10")
            int requestVolume();

            /** Share of failed calls in that window that opens the circuit. */
            @WithDefault("0.5")
            double failureRatio();

            /** How long an open circuit fails fast before letting a trial call through. */
            @WithDefault("PT10S")
            Duration delay();
        }
    }

    interface Chatgpt {
        /** Slug of the authorization flow used when a create request names none. */
        @WithDefault("default-provider-authorization-implicit-consent")
        String authorizationFlowSlug();

        /** Slug of the invalidation flow given to every provider. */
        @WithDefault("default-provider-invalidation-flow")
        String invalidationFlowSlug();

        /** Name of the certificate-key pair used for signing when a create request names none. */
        @WithDefault("authentik Self-signed Certificate")
        String signingKeyName();
    }

    interface Idempotency {
        /** How long an {@code Idempotency-Key} and its first answer are kept (at least a day is honoured). */
        @WithDefault("P1D")
        Duration retention();
    }

    interface Reconciler {
        /** Whether this replica picks up records left mid-operation by a crashed process. */
        @WithDefault("true")
        boolean enabled();

        /** How often the reconciler looks for such records. */
        @WithDefault("15s")
        String interval();

        /** How long one replica holds an integration while it works on it; a crash frees it after this. */
        @WithName("lease")
        @WithDefault("PT2M")
        Duration lease();
    }

    interface Verify {
        /** A signing certificate expiring within this period is reported as a warning. */
        @WithDefault("P30D")
        Duration certificateExpiryWarning();
    }

    interface Metrics {
        /** How often the integration-status and reconciler-backlog gauges are read from PostgreSQL. */
        @WithDefault("15s")
        String refreshInterval();
    }
}
