package dev.chatgptsso.provisioner.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST …/integrations/{id}/verify}: a healthy finalised integration passes every check without a single
 * write to authentik, and each kind of drift, made in the fake exactly as an admin (or authentik itself) would
 * make it, fails exactly the check that names it while every other check keeps its healthy status.
 */
@QuarkusTest
class VerifyTests extends ApiTestSupport {
    private static final String LOGIN_REDIRECT = "https://auth.openai.com/sso/oidc/callback/conn_verify";
    private static final String ACS = "https://auth.openai.com/sso/saml/acs/conn_verify";
    private static final String AUDIENCE = "urn:openai:chatgpt:sso:conn_verify";
    private static final String SLUG = "chatgpt";
    private static final String SAML_SLUG = "chatgpt-saml";

    private static final List<String> OIDC_CHECKS = List.of("application", "application-slug", "provider", "signing-key", "redirect-uris",
            "property-mappings", "id-token-claims", "grant-types", "claims-preview", "discovery-issuer", "discovery-https", "discovery-jwks",
            "discovery-signing-alg");
    private static final List<String> SAML_CHECKS = List.of("application", "application-slug", "provider", "signing", "signing-key",
            "certificate-fingerprint", "acs-url", "audience", "name-id", "saml-mappings");
    private static final List<String> DISCOVERY_CHECKS = List.of("discovery-issuer", "discovery-https", "discovery-jwks", "discovery-signing-alg");

    /** An integration made through the service and finalised; {@code fake} still holds exactly the recipe. */
    record Made(FakeAuthentik fake, String tenant, String instanceId, String id, int providerPk, String slug) {}

    // ------------------------------------------------------------------ healthy

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void aHealthyOidcIntegrationPassesEveryCheckWithoutWritingToAuthentik(String version) {
        Made made = oidc(version);
        JsonPath report = verify(made, null);

        assertEquals(made.id(), report.getString("integrationId"));
        assertTrue(report.getBoolean("healthy"), report.prettify());
        assertEquals(OIDC_CHECKS, report.getList("checks.id"), "every OIDC check, once each, in report order");
        assertStatuses(oidcBaseline(), report);
        // the only non-pass: the fake is registered over plain http, which the check reports as a warning saying so
        assertTrue(detail(report, "discovery-https").contains("registered over plain http"), detail(report, "discovery-https"));
        assertTrue(detail(report, "claims-preview").contains("the token's user"));
        if (version.equals(Fakes.LEGACY)) {
            assertTrue(detail(report, "grant-types").contains("no per-provider grant types (before 2026.5)"), detail(report, "grant-types"));
        } else {
            assertEquals("grant_types include authorization_code", detail(report, "grant-types"));
        }
        assertTrue(report.getString("verifiedAt") != null);
        assertNoWrites(made.fake());
        // the public discovery document and the JWKS were really fetched, like ChatGPT fetches them
        assertEquals(1, made.fake().count("GET", "/application/o/" + SLUG + "/\\.well-known/openid-configuration"));
        assertEquals(1, made.fake().count("GET", "/application/o/" + SLUG + "/jwks/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void aHealthySamlIntegrationPassesEveryCheckWithoutWritingToAuthentik(String version) {
        Made made = saml(version);
        JsonPath report = verify(made, null);

        assertTrue(report.getBoolean("healthy"), report.prettify());
        assertEquals(SAML_CHECKS, report.getList("checks.id"));
        assertStatuses(samlBaseline(), report);
        assertEquals("signed: assertion", detail(report, "signing"));
        assertNoWrites(made.fake());
    }

    @Test
    void verifyIsReadOnlyEvenWhenEverythingIsBroken() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("redirect_uris",
                List.of(Map.of("matching_mode", "strict", "url", ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI, "redirect_uri_type", "authorization")),
                "include_claims_in_id_token", false, "signing_key", nullValue(), "grant_types", List.of("refresh_token")));
        made.fake().deleteApplication(SLUG);
        JsonPath report = verify(made, "nobody-here");
        assertFalse(report.getBoolean("healthy"));
        assertNoWrites(made.fake());
    }

    // ------------------------------------------------------------------ OIDC: provider and application

    @Test
    void aDeletedProviderFailsTheProviderCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().deleteOAuth2Provider(made.providerPk());
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("provider", "fail");
        skipped(expected, OIDC_CHECKS.subList(3, OIDC_CHECKS.size()));
        assertDrift(expected, report);
        assertTrue(detail(report, "provider").contains("is not visible in authentik"), detail(report, "provider"));
        assertSkipsBecause(report, OIDC_CHECKS.subList(3, OIDC_CHECKS.size()), "the provider check failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_id", "name"})
    void aProviderThatIsNoLongerOursFailsTheProviderCheck(String field) {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of(field, "someone-elses-" + field));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("provider", "fail");
        skipped(expected, OIDC_CHECKS.subList(3, OIDC_CHECKS.size()));
        assertDrift(expected, report);
        assertTrue(detail(report, "provider").contains("no longer carries the name and client id"), detail(report, "provider"));
    }

    @Test
    void aDeletedApplicationFailsTheApplicationCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().deleteApplication(SLUG);
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("application", "fail");
        skipped(expected, List.of("application-slug"));
        skipped(expected, DISCOVERY_CHECKS);
        assertDrift(expected, report);
        assertTrue(detail(report, "application").contains("is not visible in authentik"), detail(report, "application"));
    }

    @Test
    void aRenamedSlugFailsTheSlugCheckAndNamesTheNewDiscoveryUrl() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().renameApplication(SLUG, "chatgpt-renamed");
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("application-slug", "fail");
        skipped(expected, DISCOVERY_CHECKS);
        assertDrift(expected, report);
        assertTrue(detail(report, "application").contains("under the slug 'chatgpt-renamed'"), detail(report, "application"));
        String newUrl = made.fake().baseUrl() + "/application/o/chatgpt-renamed/.well-known/openid-configuration";
        assertTrue(detail(report, "application-slug").contains(newUrl), detail(report, "application-slug"));
        assertSkipsBecause(report, DISCOVERY_CHECKS, "the application-slug check failed");
    }

    // ------------------------------------------------------------------ OIDC: signing key

    @Test
    void aProviderWithoutSigningKeyFailsTheSigningKeyCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("signing_key", nullValue()));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("signing-key", "fail");
        // authentik falls back to HS256 without a key: the discovery document says so, and the JWKS is empty
        expected.put("discovery-signing-alg", "warn");
        expected.put("discovery-jwks", "warn");
        assertDrift(expected, report);
        assertTrue(detail(report, "signing-key").contains("no signing key is set"), detail(report, "signing-key"));
        assertSkipsBecause(report, List.of("discovery-jwks", "discovery-signing-alg"), "the signing-key check failed");
    }

    @Test
    void aDeletedKeyPairFailsTheSigningKeyCheck() {
        // authentik's cascade sets signing_key null on the provider (the catalog still caches the key from create)
        Made made = oidc(Fakes.CURRENT);
        made.fake().removeCertificateKeyPair("authentik Self-signed Certificate");
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("signing-key", "fail");
        expected.put("discovery-jwks", "warn");
        expected.put("discovery-signing-alg", "warn");
        assertDrift(expected, report);
        assertTrue(detail(report, "signing-key").contains("no signing key is set"), detail(report, "signing-key"));
    }

    @Test
    void anEd25519SigningKeyFailsTheSigningKeyCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("signing_key", OidcProvisioningTests.keyPk(made.fake(), "ed25519-only")));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("signing-key", "fail");
        expected.put("discovery-jwks", "warn");
        assertDrift(expected, report);
        assertTrue(detail(report, "signing-key").contains("is ed25519; needs rsa or ec"), detail(report, "signing-key"));
    }

    @Test
    void aSigningKeyWithoutPrivateKeyFailsTheSigningKeyCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("signing_key", OidcProvisioningTests.keyPk(made.fake(), "cert-without-key")));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("signing-key", "fail");
        expected.put("discovery-jwks", "warn");
        assertDrift(expected, report);
        assertTrue(detail(report, "signing-key").contains("without a private key"), detail(report, "signing-key"));
    }

    @Test
    void anExpiredSigningCertificateFailsTheSigningKeyCheck() {
        Made made = oidc(Fakes.CURRENT);
        String key = made.fake().addCertificateKeyPair("expired", "rsa", Duration.ofDays(-1));
        made.fake().patchProvider(made.providerPk(), Map.of("signing_key", key));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("signing-key", "fail");
        expected.put("discovery-jwks", "warn");
        assertDrift(expected, report);
        assertTrue(detail(report, "signing-key").contains("expired on"), detail(report, "signing-key"));
    }

    @Test
    void aSigningCertificateExpiringWithin30DaysIsAWarning() {
        Made made = oidc(Fakes.CURRENT);
        String key = made.fake().addCertificateKeyPair("expiring", "rsa", Duration.ofDays(10));
        made.fake().patchProvider(made.providerPk(), Map.of("signing_key", key));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("signing-key", "warn");
        // the key is still usable: the JWKS is checked as usual (and publishes it), the report stays healthy
        assertDrift(expected, report);
        assertTrue(detail(report, "signing-key").contains("expires on"), detail(report, "signing-key"));
        assertEquals("the JWKS publishes 1 key(s)", detail(report, "discovery-jwks"));
    }

    @Test
    void aFreshRsaSigningKeyKeepsTheIntegrationHealthy() {
        // the control for the key tests above: switching keys as such is no drift for OIDC
        Made made = oidc(Fakes.CURRENT);
        String key = made.fake().addCertificateKeyPair("fresh", "rsa", Duration.ofDays(365));
        made.fake().patchProvider(made.providerPk(), Map.of("signing_key", key));
        JsonPath report = verify(made, null);
        assertDrift(oidcBaseline(), report);
        assertTrue(detail(report, "signing-key").contains("'fresh' (rsa) is usable until"), detail(report, "signing-key"));
    }

    // ------------------------------------------------------------------ OIDC: provider settings

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void theTemporaryRedirectUriLeftInPlaceFailsTheRedirectCheck(String version) {
        Made made = oidc(version);
        made.fake().patchProvider(made.providerPk(), Map.of("redirect_uris", List.of(redirect(version, ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI))));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("redirect-uris", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "redirect-uris").contains(ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI), detail(report, "redirect-uris"));
    }

    @Test
    void anExtraRedirectUriFailsTheRedirectCheck() {
        String version = Fakes.CURRENT;
        Made made = oidc(version);
        made.fake().patchProvider(made.providerPk(), Map.of("redirect_uris",
                List.of(redirect(version, LOGIN_REDIRECT), redirect(version, "https://evil.example/callback"))));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("redirect-uris", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "redirect-uris").contains("https://evil.example/callback"), detail(report, "redirect-uris"));
    }

    @Test
    void theManagedProfileMappingAttachedFailsTheMappingsCheck() {
        Made made = oidc(Fakes.CURRENT);
        List<String> mappings = mappings(made);
        List<String> withManaged = new java.util.ArrayList<>(mappings);
        // in front of ours: our family_name and given_name win in the merged token, only the mapping list is wrong
        withManaged.add(2, OidcProvisioningTests.managedPk(made.fake(), ChatGptOidcRecipe.MANAGED_PROFILE));
        made.fake().patchProvider(made.providerPk(), Map.of("property_mappings", withManaged));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("property-mappings", "fail");
        assertDrift(expected, report);
        assertEquals("the managed profile mapping is attached (its given_name clashes; no family_name)", detail(report, "property-mappings"));
    }

    @Test
    void ourProfileMappingRemovedFailsTheMappingsCheckAndTheClaimsPreview() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("property_mappings", mappings(made).subList(0, 2)));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("property-mappings", "fail");
        // one drift, two honest consequences: without the mapping the ID token really has no names
        expected.put("claims-preview", "fail");
        assertDrift(expected, report);
        assertEquals("the service's profile mapping (family_name) is missing", detail(report, "property-mappings"));
        assertTrue(detail(report, "claims-preview").contains("lacks [given_name, family_name]"), detail(report, "claims-preview"));
    }

    @Test
    void theEmailMappingRemovedFailsTheMappingsCheckAndTheClaimsPreview() {
        Made made = oidc(Fakes.CURRENT);
        List<String> mappings = mappings(made);
        made.fake().patchProvider(made.providerPk(), Map.of("property_mappings", List.of(mappings.get(0), mappings.get(2))));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("property-mappings", "fail");
        expected.put("claims-preview", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "property-mappings").contains("the managed email mapping is missing"), detail(report, "property-mappings"));
        assertTrue(detail(report, "claims-preview").contains("lacks [email]"), detail(report, "claims-preview"));
    }

    @Test
    void aDeletedManagedMappingIsReportedNotAnError() {
        // deleting authentik's managed email mapping removes it from every provider; verify must still answer its report
        Made made = oidc(Fakes.CURRENT);
        made.fake().deleteScopeMapping(OidcProvisioningTests.managedPk(made.fake(), ChatGptOidcRecipe.MANAGED_EMAIL));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("property-mappings", "fail");
        expected.put("claims-preview", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "property-mappings").contains("the managed email mapping is missing"), detail(report, "property-mappings"));
    }

    @Test
    void aManagedMappingRecreatedByAuthentikIsReadLiveNotFromTheCatalog() {
        Made made = oidc(Fakes.CURRENT);
        assertDrift(oidcBaseline(), verify(made, null)); // warms the catalog with the managed mappings' pks
        String old = OidcProvisioningTests.managedPk(made.fake(), ChatGptOidcRecipe.MANAGED_EMAIL);
        made.fake().deleteScopeMapping(old);
        String recreated = made.fake().recreateManagedMapping(ChatGptOidcRecipe.MANAGED_EMAIL);
        List<String> mappings = new java.util.ArrayList<>(mappings(made));
        mappings.add(1, recreated); // the admin attaches authentik's email mapping again
        made.fake().patchProvider(made.providerPk(), Map.of("property_mappings", mappings));
        JsonPath report = verify(made, null);
        assertDrift(oidcBaseline(), report);
    }

    @Test
    void claimsLeftOutOfTheIdTokenFailTheIdTokenClaimsCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("include_claims_in_id_token", false));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("id-token-claims", "fail");
        assertDrift(expected, report);
    }

    @Test
    void grantTypesWithoutAuthorizationCodeFailOn2026_5() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("grant_types", List.of("refresh_token", "client_credentials")));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("grant-types", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "grant-types").contains("lack authorization_code"), detail(report, "grant-types"));
    }

    @Test
    void grantTypesPassOn2026_2WhichHasNone() {
        Made made = oidc(Fakes.LEGACY);
        assertFalse(made.fake().oauth2Provider(made.providerPk()).orElseThrow().has("grant_types"), "2026.2 has no grant_types field");
        JsonPath report = verify(made, null);
        assertDrift(oidcBaseline(), report);
        assertEquals("authentik 2026.2.2 has no per-provider grant types (before 2026.5)", detail(report, "grant-types"));
    }

    // ------------------------------------------------------------------ OIDC: claims preview

    @Test
    void aOneWordNameGivesAnEmptyFamilyNameWhichIsAWarning() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().addUser("plato", "Plato", "plato@example.com", Map.of());
        JsonPath report = verify(made, "plato");
        Map<String, String> expected = oidcBaseline();
        expected.put("claims-preview", "warn");
        assertDrift(expected, report);
        assertEquals("the ID token for 'plato' has an empty [family_name] (a one-word name?)", detail(report, "claims-preview"));
        assertTrue(made.fake().requests().stream().anyMatch(r -> r.path().endsWith("/preview_user/") && r.query().contains("for_user=")),
                "the preview is for the named user, not the token's");
    }

    @Test
    void aUserWithoutEmailFailsTheClaimsPreview() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().addUser("noemail", "No Email", "", Map.of());
        JsonPath report = verify(made, "noemail");
        Map<String, String> expected = oidcBaseline();
        expected.put("claims-preview", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "claims-preview").contains("has an empty [email]"), detail(report, "claims-preview"));
    }

    @Test
    void anUnknownPreviewUserFailsTheClaimsPreview() {
        Made made = oidc(Fakes.CURRENT);
        JsonPath report = verify(made, "nobody-here");
        Map<String, String> expected = oidcBaseline();
        expected.put("claims-preview", "fail");
        assertDrift(expected, report);
        assertEquals("user 'nobody-here' is not visible in authentik", detail(report, "claims-preview"));
    }

    // ------------------------------------------------------------------ OIDC: discovery document

    @Test
    void aDifferentIssuerFailsTheIssuerCheck() {
        Made made = oidc(Fakes.CURRENT);
        // a proxy that rewrites the host (kept on http, so only the issuer differs)
        made.fake().overrideDiscovery("issuer", "http://authentik.internal:9000/application/o/" + SLUG + "/");
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("discovery-issuer", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "discovery-issuer").contains("http://authentik.internal:9000/application/o/chatgpt/"), detail(report, "discovery-issuer"));
    }

    @Test
    void globalIssuerModeFailsTheIssuerCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("issuer_mode", "global"));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("discovery-issuer", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "discovery-issuer").contains("'" + made.fake().baseUrl() + "/'"), detail(report, "discovery-issuer"));
    }

    @Test
    void aDocumentMixingHttpsAndHttpFailsTheHttpsCheck() {
        // The fake serves plain http, so every URL of a healthy document is http (a warning, see the healthy test);
        // a proxy that rewrites only some endpoints to https leaves the rest on http, and that is a failure.
        Made made = oidc(Fakes.CURRENT);
        made.fake().overrideDiscovery("authorization_endpoint", "https://sso.example.com/application/o/authorize/");
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("discovery-https", "fail");
        assertDrift(expected, report);
        String detail = detail(report, "discovery-https");
        assertTrue(detail.startsWith("not https: [issuer, token_endpoint, "), detail);
        assertFalse(detail.contains(" authorization_endpoint"), "the https endpoint is not listed: " + detail);
    }

    @Test
    void anEmptyJwksFailsTheJwksCheck() {
        Made made = oidc(Fakes.CURRENT);
        // something between ChatGPT and authentik (a caching proxy) answers an empty key set
        made.fake().injectFault("GET", "/application/o/" + SLUG + "/jwks/", 1, FakeAuthentik.Fault.status(200, "{\"keys\":[]}"));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("discovery-jwks", "fail");
        assertDrift(expected, report);
        assertEquals("the JWKS is empty or missing", detail(report, "discovery-jwks"));
    }

    @Test
    void aWrongJwksUriFailsTheJwksCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().overrideDiscovery("jwks_uri", made.fake().baseUrl() + "/application/o/other-app/jwks/");
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("discovery-jwks", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "discovery-jwks").contains("other-app"), detail(report, "discovery-jwks"));
        assertEquals(0, made.fake().count("GET", ".*/jwks/"), "a JWKS at the wrong place is not fetched");
    }

    @Test
    void hs256OnlyFailsTheSigningAlgorithmCheck() {
        Made made = oidc(Fakes.CURRENT);
        made.fake().overrideDiscovery("id_token_signing_alg_values_supported", List.of("HS256"));
        JsonPath report = verify(made, null);
        Map<String, String> expected = oidcBaseline();
        expected.put("discovery-signing-alg", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "discovery-signing-alg").contains("[HS256]"), detail(report, "discovery-signing-alg"));
    }

    // ------------------------------------------------------------------ SAML

    @Test
    void aChangedAcsUrlFailsTheAcsCheck() {
        Made made = saml(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("acs_url", "https://auth.openai.com/sso/saml/acs/conn_other"));
        JsonPath report = verify(made, null);
        Map<String, String> expected = samlBaseline();
        expected.put("acs-url", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "acs-url").contains("conn_other"), detail(report, "acs-url"));
    }

    @Test
    void aChangedAudienceFailsTheAudienceCheck() {
        Made made = saml(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("audience", "urn:someone:else"));
        JsonPath report = verify(made, null);
        Map<String, String> expected = samlBaseline();
        expected.put("audience", "fail");
        assertDrift(expected, report);
    }

    @Test
    void signingSwitchedOffFailsTheSigningCheck() {
        Made made = saml(Fakes.CURRENT);
        // authentik refuses both switches off while a key is set, so switching signing off means dropping the key
        LifecycleTests.fakeApi().body(Map.of("sign_assertion", false, "sign_response", false))
                .patch(made.fake().baseUrl() + "/api/v3/providers/saml/" + made.providerPk() + "/").then().statusCode(400);
        made.fake().patchProvider(made.providerPk(), Map.of("signing_kp", nullValue()));
        JsonPath report = verify(made, null);
        Map<String, String> expected = samlBaseline();
        expected.put("signing", "fail");
        skipped(expected, List.of("signing-key", "certificate-fingerprint"));
        assertDrift(expected, report);
        assertEquals("no signing key is set: assertions go out unsigned", detail(report, "signing"));
        assertSkipsBecause(report, List.of("signing-key", "certificate-fingerprint"), "the signing check failed");
    }

    @Test
    void signingTheResponseInsteadOfTheAssertionStaysHealthy() {
        Made made = saml(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("sign_assertion", false, "sign_response", true));
        JsonPath report = verify(made, null);
        assertDrift(samlBaseline(), report);
        assertEquals("signed: response", detail(report, "signing"));
    }

    @Test
    void aCertificateChangedSinceFinaliseFailsTheFingerprintCheck() {
        Made made = saml(Fakes.CURRENT);
        String other = made.fake().addCertificateKeyPair("rotated", "rsa", Duration.ofDays(365));
        made.fake().patchProvider(made.providerPk(), Map.of("signing_kp", other));
        JsonPath report = verify(made, null);
        Map<String, String> expected = samlBaseline();
        expected.put("certificate-fingerprint", "fail");
        assertDrift(expected, report);
        assertTrue(detail(report, "certificate-fingerprint").contains("enter the new certificate in ChatGPT"), detail(report, "certificate-fingerprint"));
    }

    @Test
    void anExpiringReplacementSamlCertificateWarnsAndFailsTheFingerprint() {
        Made made = saml(Fakes.CURRENT);
        String expiring = made.fake().addCertificateKeyPair("saml-expiring", "rsa", Duration.ofDays(10));
        made.fake().patchProvider(made.providerPk(), Map.of("signing_kp", expiring));
        Map<String, String> expected = samlBaseline();
        expected.put("signing-key", "warn");
        expected.put("certificate-fingerprint", "fail"); // it is another certificate, too
        assertDrift(expected, verify(made, null));
    }

    @Test
    void aChangedNameIdMappingFailsTheNameIdCheck() {
        Made made = saml(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("name_id_mapping", managedSamlPk(made.fake(), "goauthentik.io/providers/saml/username")));
        JsonPath report = verify(made, null);
        Map<String, String> expected = samlBaseline();
        expected.put("name-id", "fail");
        assertDrift(expected, report);
    }

    @ParameterizedTest
    @ValueSource(strings = {"givenname", "surname"})
    void aNameMappingRemovedFailsTheSamlMappingsCheck(String attribute) {
        Made made = saml(Fakes.CURRENT);
        String samlName = attribute.equals("givenname") ? ChatGptSamlRecipe.GIVEN_NAME_ATTRIBUTE : ChatGptSamlRecipe.SURNAME_ATTRIBUTE;
        String removed = made.fake().samlMappings().stream().filter(m -> samlName.equals(m.get("saml_name").asText())
                && (m.path("managed").isNull() || m.path("managed").asText().isEmpty())).findFirst().orElseThrow().get("pk").asText();
        List<String> mappings = OidcProvisioningTests.texts(made.fake().samlProviders().get(0).get("property_mappings"));
        assertTrue(mappings.contains(removed));
        made.fake().patchProvider(made.providerPk(), Map.of("property_mappings", mappings.stream().filter(pk -> !pk.equals(removed)).toList()));
        JsonPath report = verify(made, null);
        Map<String, String> expected = samlBaseline();
        expected.put("saml-mappings", "fail");
        assertDrift(expected, report);
        assertEquals("attributes missing: [" + attribute + "]", detail(report, "saml-mappings"));
    }

    @Test
    void aSamlProviderRenamedByHandFailsTheProviderCheck() {
        Made made = saml(Fakes.CURRENT);
        made.fake().patchProvider(made.providerPk(), Map.of("name", "renamed by hand"));
        JsonPath report = verify(made, null);
        Map<String, String> expected = samlBaseline();
        expected.put("provider", "fail");
        skipped(expected, SAML_CHECKS.subList(3, SAML_CHECKS.size()));
        assertDrift(expected, report);
    }

    // ------------------------------------------------------------------ helpers

    private Made oidc(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("verify", fake);
        JsonPath created = createIntegration(ids[0], oidcRequest(ids[1], SLUG)).then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        finalise(ids[0], id, LOGIN_REDIRECT).then().statusCode(200);
        return new Made(fake, ids[0], ids[1], id, created.getInt("authentik.providerPk"), SLUG);
    }

    private Made saml(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("verifysaml", fake);
        JsonPath created = createIntegration(ids[0], SamlProvisioningTests.samlRequest(ids[1], SAML_SLUG)).then().statusCode(201)
                .extract().jsonPath();
        String id = created.getString("id");
        admin().body(Map.of("acsUrl", ACS, "audience", AUDIENCE)).post("/api/v1/tenants/{t}/integrations/{id}/finalise", ids[0], id)
                .then().statusCode(200);
        return new Made(fake, ids[0], ids[1], id, created.getInt("authentik.providerPk"), SAML_SLUG);
    }

    /** Runs verify with the fake's request log cleared first, and checks that verify wrote nothing. */
    private static JsonPath verify(Made made, String previewUser) {
        made.fake().clearRequests();
        Map<String, Object> body = previewUser == null ? Map.of() : Map.of("previewUser", previewUser);
        JsonPath report = admin().body(body).post("/api/v1/tenants/{t}/integrations/{id}/verify", made.tenant(), made.id())
                .then().statusCode(200).extract().jsonPath();
        assertNoWrites(made.fake());
        return report;
    }

    private static void assertNoWrites(FakeAuthentik fake) {
        List<FakeAuthentik.RecordedRequest> requests = fake.requests();
        assertFalse(requests.isEmpty(), "verify reads authentik");
        List<String> writes = requests.stream().filter(r -> !r.method().equals("GET")).map(r -> r.method() + " " + r.path()).toList();
        assertEquals(List.of(), writes, "verify must never write to authentik");
    }

    private static Map<String, String> oidcBaseline() {
        Map<String, String> statuses = new LinkedHashMap<>();
        OIDC_CHECKS.forEach(id -> statuses.put(id, "pass"));
        statuses.put("discovery-https", "warn"); // the fake is reached over plain http
        return statuses;
    }

    private static Map<String, String> samlBaseline() {
        Map<String, String> statuses = new LinkedHashMap<>();
        SAML_CHECKS.forEach(id -> statuses.put(id, "pass"));
        return statuses;
    }

    private static void skipped(Map<String, String> expected, List<String> ids) {
        ids.forEach(id -> expected.put(id, "warn"));
    }

    private static Map<String, String> statuses(JsonPath report) {
        List<String> ids = report.getList("checks.id");
        List<String> statuses = report.getList("checks.status");
        assertEquals(ids.size(), ids.stream().distinct().count(), "each check is reported once: " + ids);
        Map<String, String> byId = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            byId.put(ids.get(i), statuses.get(i));
        }
        return byId;
    }

    private static void assertStatuses(Map<String, String> expected, JsonPath report) {
        assertEquals(expected, statuses(report), report.prettify());
    }

    /** Exactly the expected statuses, and healthy exactly when nothing failed. */
    private static void assertDrift(Map<String, String> expected, JsonPath report) {
        assertStatuses(expected, report);
        assertEquals(!expected.containsValue("fail"), report.getBoolean("healthy"), report.prettify());
    }

    private static void assertSkipsBecause(JsonPath report, List<String> ids, String because) {
        for (String id : ids) {
            assertEquals("not checked: " + because, detail(report, id), id);
        }
    }

    private static String status(JsonPath report, String id) {
        return report.getString("checks.find { it.id == '" + id + "' }.status");
    }

    private static String detail(JsonPath report, String id) {
        return report.getString("checks.find { it.id == '" + id + "' }.detail");
    }

    private static List<String> mappings(Made made) {
        return OidcProvisioningTests.texts(made.fake().oauth2Provider(made.providerPk()).orElseThrow().get("property_mappings"));
    }

    private static Map<String, Object> redirect(String version, String url) {
        return version.equals(Fakes.CURRENT) ? Map.of("matching_mode", "strict", "url", url, "redirect_uri_type", "authorization")
                : Map.of("matching_mode", "strict", "url", url);
    }

    private static String managedSamlPk(FakeAuthentik fake, String managed) {
        return fake.samlMappings().stream().filter(m -> managed.equals(m.path("managed").asText())).findFirst().orElseThrow().get("pk").asText();
    }

    /** A JSON null for {@link FakeAuthentik#patchProvider} (Map.of refuses null values). */
    private static Object nullValue() {
        return com.fasterxml.jackson.databind.node.NullNode.getInstance();
    }
}
