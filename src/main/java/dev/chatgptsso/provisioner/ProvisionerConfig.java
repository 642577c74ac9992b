package dev.chatgptsso.provisioner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Every setting of the service, under the prefix {@code provisioner}. README lists them with their env form. */
@ConfigMapping(prefix = "provisioner")
public interface ProvisionerConfig {

    Auth auth();

    Crypto crypto();

    Outbound outbound();

    Authentik authentik();

    Chatgpt chatgpt();

    interface Auth {
        /** API keys as {@code <key-id>:<sha-256 hex of the secret>:<scope>}; scope is {@code admin} or {@code tenant:<tenant id>}. */
        List<String> apiKeys();
    }

    interface Crypto {
        /** Base64 of the 32-byte AES-256-GCM key that encrypts authentik API tokens at rest. Required. */
        String key();
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

        /** How long a detected authentik version is trusted before the next create re-reads {@code admin/version/}. */
        @WithDefault("PT10M")
        Duration versionRecheckInterval();
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
}
