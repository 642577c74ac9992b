package dev.chatgptsso.provisioner.fakeauthentik;

import java.time.Instant;

/** A certificate-key pair. {@code keyType} is detected from the certificate ("rsa", "ed25519", ...). */
record KeyPairEntry(String pk, String name, String keyType, boolean privateKeyAvailable, String managed,
                    String pem, String fingerprintSha256, String fingerprintSha1, Instant certExpiry,
                    String certSubject) {

    /** SAML signing accepts only these (REFERENCE 12.2). */
    boolean usableForSamlSigning() {
        return keyType.equals("rsa") || keyType.equals("ec") || keyType.equals("dsa");
    }
}
