package dev.chatgptsso.provisioner.fakeauthentik;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/** A seeded authentik user; {@code token} is the key of its API token (null: the user has none). */
record FakeUser(int pk, String username, String name, String email, boolean superuser, String token,
                Map<String, String> attributes) {

    String uuid() {
        return UUID.nameUUIDFromBytes(("fakeauthentik:user:" + pk).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** authentik's user uid: a sha256 hex digest that is stable per user. */
    String uid() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("fake-install-" + pk).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
