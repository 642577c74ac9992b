package dev.chatgptsso.provisioner.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.chatgptsso.provisioner.support.ApiTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bearer JWTs from a portal's identity provider as an alternative to API keys: the signature,
 * issuer and expiry are checked, the tenant comes from the {@code tenant} claim and admin scope from
 * the {@code provisioner-admin} group. A JWT sees exactly what an API key of the same scope sees.
 */
@QuarkusTest
class JwtAuthTests extends ApiTestSupport {
    private static final String ISSUER = "https://portal-idp.test";

    private static PrivateKey key(String resource) {
        try {
            return KeyUtils.readPrivateKey(resource);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(ISSUER).subject(subject).issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300));
    }

    private static String signed(JwtClaimsBuilder claims) {
        return claims.sign(key("jwt/privateKey.pem"));
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    @Test
    void aTenantTokenSeesItsTenantOnlyAndIsRecordedAsTheActor() {
        String acme = createTenant(uniqueTenantId("jwt"));
        String other = createTenant(uniqueTenantId("jwt-other"));
        String token = signed(claims("portal-user-7").claim("tenant", acme));

        bearer(token).get("/api/v1/tenants/{t}", acme).then().statusCode(200).body("id", equalTo(acme));
        bearer(token).get("/api/v1/tenants/{t}", other).then().statusCode(404).body("type", equalTo("/problems/not-found"));
        bearer(token).get("/api/v1/tenants").then().statusCode(200)
                .body("id", hasItem(acme)).body("id", not(hasItem(other)));
        bearer(token).body(Map.of("id", uniqueTenantId("jwt-new"), "displayName", "x")).post("/api/v1/tenants")
                .then().statusCode(403).body("type", equalTo("/problems/forbidden"));
    }

    @Test
    void theAdminGroupGrantsAdminScope() {
        String token = signed(claims("ops-robot").groups(Set.of("provisioner-admin", "staff")));
        String id = uniqueTenantId("jwt-admin");
        bearer(token).body(Map.of("id", id, "displayName", "Made by a JWT")).post("/api/v1/tenants").then().statusCode(201);
        bearer(token).get("/api/v1/tenants/{t}", id).then().statusCode(200);
    }

    @Test
    void aValidTokenWithoutScopeIsForbidden() {
        String token = signed(claims("nobody").groups(Set.of("staff")).claim("tenant", "Not A Tenant Id"));
        bearer(token).get("/api/v1/tenants").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/forbidden"));
    }

    @Test
    void expiredForeignIssuerOrForeignKeyTokensAreUnauthorised() {
        String tenant = createTenant(uniqueTenantId("jwt-bad"));
        String expired = Jwt.issuer(ISSUER).subject("late").claim("tenant", tenant)
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign(key("jwt/privateKey.pem"));
        String foreignIssuer = Jwt.issuer("https://elsewhere.test").subject("x").claim("tenant", tenant)
                .expiresAt(Instant.now().plusSeconds(300)).sign(key("jwt/privateKey.pem"));
        String foreignKey = claims("x").claim("tenant", tenant).sign(key("jwt/otherPrivateKey.pem"));
        String tampered = signed(claims("x").claim("tenant", "globex"));
        String[] parts = tampered.split("\\.");
        String swappedPayload = parts[0] + "." + signed(claims("x").claim("tenant", tenant)).split("\\.")[1] + "." + parts[2];

        for (String token : new String[] {expired, foreignIssuer, foreignKey, swappedPayload, "a.b.c"}) {
            bearer(token).get("/api/v1/tenants/{t}", tenant).then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("/problems/unauthorized"));
        }
    }
}
