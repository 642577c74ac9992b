package dev.chatgptsso.provisioner.web;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import io.quarkus.logging.Log;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer JWTs from the portals' own identity provider, the alternative to API keys
 * ({@code provisioner.auth.jwt.enabled}). Signature, issuer and expiry are checked by SmallRye JWT
 * against {@code mp.jwt.verify.issuer} and {@code mp.jwt.verify.publickey.location} (a PEM or a
 * JWKS URL); the scope comes from the tenant claim, or admin from the admin group.
 */
@ApplicationScoped
public class BearerJwts {
    private static final Pattern COMPACT_JWS = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$");
    private static final Pattern TENANT_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    private static final Pattern PRINTABLE_SUBJECT = Pattern.compile("^[\\x21-\\x7e]{1,200}$");

    /** What a verified token grants: a caller, or nothing (a valid token without a scope). */
    public sealed interface Outcome {
        record Granted(Caller caller) implements Outcome {}

        record NoScope() implements Outcome {}
    }

    private final ProvisionerConfig.Auth.Jwt config;
    private final Instance<JWTParser> parser;

    BearerJwts(ProvisionerConfig config, Instance<JWTParser> parser) {
        this.config = config.auth().jwt();
        this.parser = parser;
    }

    public static boolean looksLikeJwt(String bearer) {
        return bearer.length() <= 16_384 && COMPACT_JWS.matcher(bearer).matches();
    }

    /** Empty when JWTs are off, the value is no JWT, or it fails verification (the reason is logged, the token never). */
    public Optional<Outcome> authenticate(String bearer) {
        if (!config.enabled() || !looksLikeJwt(bearer)) {
            return Optional.empty();
        }
        JsonWebToken token;
        try {
            token = parser.get().parse(bearer);
        } catch (ParseException e) {
            Log.infof("bearer JWT refused: %s", rootReason(e));
            return Optional.empty();
        }
        String subject = token.getSubject();
        String keyId = "jwt:" + (subject != null && PRINTABLE_SUBJECT.matcher(subject).matches() ? subject : "unnamed");
        Set<String> groups = token.getGroups();
        if (groups != null && groups.contains(config.adminGroup())) {
            return Optional.of(new Outcome.Granted(Caller.admin(keyId)));
        }
        Object tenant = token.getClaim(config.tenantClaim());
        String tenantId = tenant == null ? null : tenant.toString().replace("\"", "");
        if (tenantId != null && TENANT_ID.matcher(tenantId).matches()) {
            return Optional.of(new Outcome.Granted(Caller.tenant(keyId, tenantId)));
        }
        return Optional.of(new Outcome.NoScope());
    }

    /** The verifier's reason without any part of the token (jose4j messages can quote claims, never the signature). */
    private static String rootReason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
