package dev.chatgptsso.provisioner.fakeauthentik;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Builds real self-signed X.509 certificates with the plain JDK (which has no public certificate builder):
 * a minimal DER encoder for the TBSCertificate, signed with {@link Signature}. The result is parsed back by
 * {@link CertificateFactory}, so it is a well-formed certificate any PEM/X.509 consumer accepts.
 */
final class CertificateGenerator {

    /** A generated certificate with the values authentik shows for it. */
    record Generated(String pem, String fingerprintSha256, String fingerprintSha1, Instant notAfter,
                     String subject, String keyType, byte[] der) {
    }

    private static final byte[] OID_SHA256_WITH_RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b};
    private static final byte[] OID_ED25519 = {0x2b, 0x65, 0x70};
    private static final byte[] OID_COMMON_NAME = {0x55, 0x04, 0x03};
    private static final byte[] OID_ORGANIZATION = {0x55, 0x04, 0x0a};
    private static final byte[] OID_ORGANIZATIONAL_UNIT = {0x55, 0x04, 0x0b};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private CertificateGenerator() {
    }

    /** @param keyType "rsa" or "ed25519" */
    static Generated generate(String commonName, String keyType, Duration validity) {
        try {
            boolean rsa = keyType.equals("rsa");
            KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "Ed25519");
            if (rsa) {
                generator.initialize(2048);
            }
            KeyPair keyPair = generator.generateKeyPair();
            byte[] algorithm = rsa
                    ? sequence(tlv(0x06, OID_SHA256_WITH_RSA), new byte[]{0x05, 0x00})
                    : sequence(tlv(0x06, OID_ED25519));
            Instant notBefore = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant notAfter = Instant.now().plus(validity).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            byte[] name = sequence(
                    set(sequence(tlv(0x06, OID_COMMON_NAME), utf8(commonName))),
                    set(sequence(tlv(0x06, OID_ORGANIZATION), utf8("authentik"))),
                    set(sequence(tlv(0x06, OID_ORGANIZATIONAL_UNIT), utf8("Self-signed"))));
            byte[] serial = tlv(0x02, new BigInteger(127, new SecureRandom()).add(BigInteger.ONE).toByteArray());
            byte[] tbs = sequence(
                    tlv(0xa0, tlv(0x02, new byte[]{2})),
                    serial,
                    algorithm,
                    name,
                    sequence(time(notBefore), time(notAfter)),
                    name,
                    keyPair.getPublic().getEncoded());
            Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "Ed25519");
            signer.initSign(keyPair.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] der = sequence(tbs, algorithm, bitString(signature));

            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n";
            return new Generated(pem, fingerprint("SHA-256", der), fingerprint("SHA-1", der),
                    certificate.getNotAfter().toInstant(),
                    certificate.getSubjectX500Principal().getName("RFC2253"), keyType, der);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a test certificate", e);
        }
    }

    /** authentik shows fingerprints as lower-case hex pairs joined by colons. */
    private static String fingerprint(String algorithm, byte[] der) throws GeneralSecurityException {
        return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance(algorithm).digest(der));
    }

    private static byte[] time(Instant instant) {
        return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] utf8(String text) {
        return tlv(0x0c, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bitString(byte[] bits) {
        byte[] content = new byte[bits.length + 1];
        System.arraycopy(bits, 0, content, 1, bits.length);
        return tlv(0x03, content);
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
