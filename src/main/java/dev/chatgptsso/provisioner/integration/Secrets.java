package dev.chatgptsso.provisioner.integration;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;

/** Client ids and secrets chosen by the service: uniformly random alphanumerics from {@link SecureRandom}. */
@ApplicationScoped
class Secrets {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private final SecureRandom random = new SecureRandom();

    /** {@code length} characters; 128 of them carry about 762 bits of entropy. */
    String alphanumeric(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }
}
