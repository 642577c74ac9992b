package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts authentik API tokens at rest with AES-256-GCM. The record id is bound as associated
 * data, so a ciphertext copied onto another row does not decrypt. Several keys can be configured
 * ({@code provisioner.crypto.keys}, oldest first): the newest encrypts, every one decrypts, so keys
 * rotate without downtime; {@code POST /api/v1/admin/tokens/re-encrypt} moves old records to the
 * newest key. Stored form: {@code v2:<key id>:<base64(iv || ciphertext || tag)>}; the first
 * release's {@code v1:<base64>} is read with the key whose id is {@code default}.
 */
@Startup
@ApplicationScoped
public class TokenCipher {
    static final String DEFAULT_KEY_ID = "default";
    private static final String V1 = "v1:";
    private static final String V2 = "v2:";
    private static final Pattern KEY_ID = Pattern.compile("^[A-Za-z0-9_-]{1,32}$");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys;
    private final String currentKeyId;
    private final SecureRandom random = new SecureRandom();

    TokenCipher(ProvisionerConfig config) {
        this.keys = parse(config.crypto().key().orElse(null), config.crypto().keys().orElse(List.of()));
        this.currentKeyId = new ArrayList<>(keys.keySet()).get(keys.size() - 1);
    }

    static Map<String, SecretKeySpec> parse(String singleKey, List<String> keyList) {
        Map<String, SecretKeySpec> parsed = new LinkedHashMap<>();
        if (singleKey != null && !singleKey.isBlank()) {
            parsed.put(DEFAULT_KEY_ID, key("provisioner.crypto.key", singleKey));
        }
        for (String entry : keyList) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":", 2);
            if (parts.length != 2 || !KEY_ID.matcher(parts[0]).matches()) {
                throw new IllegalStateException("provisioner.crypto.keys: an entry is not <id>:<base64 of 32 bytes> (id: letters, digits, '-', '_')");
            }
            parsed.remove(parts[0]);
            parsed.put(parts[0], key("provisioner.crypto.keys[" + parts[0] + "]", parts[1]));
        }
        if (parsed.isEmpty()) {
            throw new IllegalStateException("provisioner.crypto.key is required: set provisioner.crypto.key (base64 of 32 random bytes, "
                    + "e.g. from openssl rand -base64 32) or provisioner.crypto.keys (<id>:<base64>, oldest first)");
        }
        return parsed;
    }

    private static SecretKeySpec key(String name, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(name + " must be the base64 of exactly 32 bytes (AES-256), got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** The id of the key new tokens are encrypted with. */
    public String currentKeyId() {
        return currentKeyId;
    }

    public boolean isCurrent(String stored) {
        return stored != null && stored.startsWith(V2 + currentKeyId + ":");
    }

    public String encrypt(String plaintext, String associatedData) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return V2 + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token encryption failed");
        }
    }

    public String decrypt(String stored, String associatedData) {
        String keyId;
        String payload;
        if (stored != null && stored.startsWith(V1)) {
            keyId = DEFAULT_KEY_ID;
            payload = stored.substring(V1.length());
        } else if (stored != null && stored.startsWith(V2) && stored.indexOf(':', V2.length()) > 0) {
            int separator = stored.indexOf(':', V2.length());
            keyId = stored.substring(V2.length(), separator);
            payload = stored.substring(separator + 1);
        } else {
            throw new IllegalStateException("stored token has an unknown format");
        }
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("stored token was encrypted with key '" + keyId + "', which is not configured");
        }
        try {
            byte[] in = Base64.getDecoder().decode(payload);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("stored token cannot be decrypted with key '" + keyId + "'");
        }
    }
}
