package dev.chatgptsso.provisioner.web;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The configured API keys ({@code provisioner.auth.api-keys}); only SHA-256 digests of the secrets are held. */
@ApplicationScoped
public class ApiKeys {
    private static final Pattern TENANT_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-f]{64}$");

    private final List<Entry> entries;

    ApiKeys(ProvisionerConfig config) {
        this.entries = parse(config.auth().apiKeys());
    }

    record Entry(String keyId, byte[] digest, Caller caller) {}

    static List<Entry> parse(List<String> configured) {
        List<Entry> parsed = new ArrayList<>();
        for (String raw : configured) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            String[] parts = item.split(":", 3);
            if (parts.length != 3 || parts[0].isBlank()) {
                throw new IllegalStateException("provisioner.auth.api-keys: an entry is not <key-id>:<sha-256 hex>:<scope>");
            }
            String keyId = parts[0];
            String digest = parts[1].toLowerCase();
            if (!SHA256_HEX.matcher(digest).matches()) {
                throw new IllegalStateException("provisioner.auth.api-keys: key '" + keyId + "' does not carry a 64-digit sha-256 hex digest");
            }
            String scope = parts[2];
            Caller caller;
            if (scope.equals("admin")) {
                caller = Caller.admin(keyId);
            } else if (scope.startsWith("tenant:") && TENANT_ID.matcher(scope.substring(7)).matches()) {
                caller = Caller.tenant(keyId, scope.substring(7));
            } else {
                throw new IllegalStateException("provisioner.auth.api-keys: key '" + keyId + "' has scope '" + scope + "'; use admin or tenant:<id>");
            }
            parsed.add(new Entry(keyId, HexFormat.of().parseHex(digest), caller));
        }
        return List.copyOf(parsed);
    }

    /** The caller a presented secret belongs to; compares digests in constant time. */
    public Optional<Caller> authenticate(String presentedSecret) {
        byte[] digest = sha256(presentedSecret);
        Caller match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest) && match == null) {
                match = entry.caller();
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
