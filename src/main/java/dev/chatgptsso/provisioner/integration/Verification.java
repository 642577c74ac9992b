package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Preview;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.PropertyMapping;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.RedirectUri;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SamlProvider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.User;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import dev.chatgptsso.provisioner.authentik.ParallelCalls;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe;
import dev.chatgptsso.provisioner.instance.AuthentikInstance;
import dev.chatgptsso.provisioner.instance.InstanceService;
import dev.chatgptsso.provisioner.integration.IntegrationApi.Check;
import dev.chatgptsso.provisioner.integration.IntegrationApi.CheckStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The read-only health report of an integration: does authentik still hold what ChatGPT needs?
 * Only GETs (the public discovery document and JWKS included, fetched like ChatGPT fetches them);
 * nothing is ever written, so running it is always safe. Each check names one thing; a check whose
 * precondition failed is reported as a warning saying so, so the failing check points at the cause.
 */
@ApplicationScoped
class Verification {
    private final InstanceService instances;
    private final ParallelCalls parallel;
    private final ProvisionerConfig config;

    Verification(InstanceService instances, ParallelCalls parallel, ProvisionerConfig config) {
        this.instances = instances;
        this.parallel = parallel;
        this.config = config;
    }

    private static final class Report {
        final List<Check> checks = new ArrayList<>();

        void pass(String id, String detail) {
            checks.add(new Check(id, CheckStatus.pass, detail));
        }

        void warn(String id, String detail) {
            checks.add(new Check(id, CheckStatus.warn, detail));
        }

        void fail(String id, String detail) {
            checks.add(new Check(id, CheckStatus.fail, detail));
        }

        void skip(String id, String because) {
            warn(id, "not checked: " + because);
        }

        void check(String id, boolean ok, String passDetail, String failDetail) {
            if (ok) pass(id, passDetail); else fail(id, failDetail);
        }

        /** Reported, and neither failed nor skipped: a warning about a usable thing (a key expiring soon) still counts. */
        boolean usable(String id) {
            return checks.stream().anyMatch(c -> c.id().equals(id) && (c.status() == CheckStatus.pass
                    || c.status() == CheckStatus.warn && !c.detail().startsWith("not checked: ")));
        }
    }

    IntegrationApi.VerifyReport verify(Integration integration, String previewUsername, StepLog log) {
        AuthentikInstance instance = instances.require(integration.tenantId, integration.instanceId);
        AuthentikClient client = instances.client(instance).observedBy(log);
        log.enter("verify");
        Report report = new Report();
        if (integration.providerPk == null) {
            report.fail("provider", "the integration has no provider in authentik (status " + integration.status.value() + ")");
        } else if ("saml".equals(integration.protocol)) {
            verifySaml(integration, instance, client, report);
        } else {
            verifyOidc(integration, instance, client, previewUsername, report);
        }
        boolean healthy = report.checks.stream().noneMatch(c -> c.status() == CheckStatus.fail);
        log.note(healthy ? "ok" : "failed", "verify: " + (healthy ? "healthy" : "unhealthy") + " ("
                + report.checks.stream().filter(c -> c.status() == CheckStatus.fail).map(Check::id).toList() + " failed)");
        return new IntegrationApi.VerifyReport(integration.id, healthy, List.copyOf(report.checks), OffsetDateTime.now(ZoneOffset.UTC));
    }

    // ------------------------------------------------------------------ OIDC

    private void verifyOidc(Integration integration, AuthentikInstance instance, AuthentikClient client, String previewUsername,
            Report report) {
        CompletableFuture<Optional<OAuth2Provider>> providerCall = parallel.start(() -> client.oauth2Provider(integration.providerPk));
        CompletableFuture<Optional<Application>> appCall = parallel.start(() -> client.application(integration.appSlug));
        CompletableFuture<Optional<JsonNode>> discoveryCall = parallel.start(() -> client.discoveryDocument(integration.appSlug));
        CompletableFuture<Optional<Integer>> previewUserCall = parallel.start(() -> previewUsername == null ? Optional.empty()
                : client.userNamed(previewUsername).map(User::pk));
        ParallelCalls.joinAll(providerCall, appCall, discoveryCall, previewUserCall);
        Optional<OAuth2Provider> provider = ParallelCalls.join(providerCall);

        boolean providerOurs = provider.isPresent() && Objects.equals(provider.get().name(), integration.providerName)
                && Objects.equals(provider.get().clientId(), integration.clientId);
        String currentSlug = applicationChecks(integration, client, ParallelCalls.join(appCall),
                provider.map(OAuth2Provider::assignedApplicationSlug), report,
                slug -> ChatGptOidcRecipe.discoveryEndpoint(instance.baseUrl, slug));
        if (provider.isEmpty()) {
            report.fail("provider", "provider " + integration.providerPk + " is not visible in authentik: deleted, or the token lost its view permission");
        } else {
            report.check("provider", providerOurs, "provider " + integration.providerPk + " exists and is still the one this service "
                    + (integration.adopted ? "adopted" : "created"), "provider " + integration.providerPk + " no longer carries the name and client id recorded for it");
        }
        if (!providerOurs) {
            for (String id : List.of("signing-key", "redirect-uris", "property-mappings", "id-token-claims", "grant-types", "claims-preview",
                    "discovery-issuer", "discovery-https", "discovery-jwks", "discovery-signing-alg")) {
                report.skip(id, "the provider check failed");
            }
            return;
        }
        OAuth2Provider stored = provider.get();
        signingKeyCheck(client, stored.signingKey(), ChatGptOidcRecipe.SIGNING_KEY_TYPES, report);
        redirectCheck(integration, stored, report);
        mappingsCheck(instance, client, stored, report);
        report.check("id-token-claims", Boolean.TRUE.equals(stored.includeClaimsInIdToken()),
                "include_claims_in_id_token is on: the ID token carries the profile claims",
                "include_claims_in_id_token is off: ChatGPT reads the claims from the ID token and will miss them");
        if (stored.grantTypes() == null) {
            report.pass("grant-types", "authentik " + instance.version + " has no per-provider grant types (before 2026.5)");
        } else {
            report.check("grant-types", stored.grantTypes().contains("authorization_code"),
                    "grant_types include authorization_code", "grant_types " + stored.grantTypes()
                            + " lack authorization_code: every ChatGPT sign-in fails on authentik 2026.5+");
        }
        claimsCheck(client, stored, previewUsername, ParallelCalls.join(previewUserCall), report);
        if (currentSlug == null || !currentSlug.equals(integration.appSlug)) {
            String failed = currentSlug == null ? "application" : "application-slug";
            for (String id : List.of("discovery-issuer", "discovery-https", "discovery-jwks", "discovery-signing-alg")) {
                report.skip(id, "the " + failed + " check failed");
            }
            return;
        }
        discoveryChecks(integration, instance, client, ParallelCalls.join(discoveryCall), report);
    }

    /**
     * The application recorded for the integration, found by its pk under the recorded slug or the
     * slug its provider is now bound to. Returns the slug it is under now, or null when it is gone.
     */
    private String applicationChecks(Integration integration, AuthentikClient client, Optional<Application> underRecordedSlug,
            Optional<String> assignedSlug, Report report, java.util.function.Function<String, String> entryUrl) {
        String recordedPk = integration.applicationPk == null ? null : integration.applicationPk.toString();
        if (underRecordedSlug.isPresent() && underRecordedSlug.get().pk().equals(recordedPk)) {
            report.pass("application", "application '" + integration.appSlug + "' exists with the recorded pk");
            report.pass("application-slug", "the slug is unchanged, so the URLs given to ChatGPT still work");
            return integration.appSlug;
        }
        Optional<Application> renamed = assignedSlug.filter(slug -> !slug.equals(integration.appSlug)).flatMap(client::application)
                .filter(app -> app.pk().equals(recordedPk));
        if (renamed.isPresent()) {
            String slug = renamed.get().slug();
            report.pass("application", "application exists with the recorded pk, under the slug '" + slug + "'");
            report.fail("application-slug", "the slug was changed from '" + integration.appSlug + "' to '" + slug
                    + "': what ChatGPT holds no longer works; the new URL would be " + entryUrl.apply(slug)
                    + " (change the slug back, or enter the new URL in ChatGPT)");
            return slug;
        }
        report.fail("application", underRecordedSlug.isPresent()
                ? "application '" + integration.appSlug + "' exists but is not the one recorded (another pk): ours was deleted and replaced"
                : "application '" + integration.appSlug + "' is not visible in authentik: deleted, or the token lost its view permission");
        report.skip("application-slug", "the application check failed");
        return null;
    }

    private void signingKeyCheck(AuthentikClient client, String keyPk, List<String> acceptedTypes, Report report) {
        if (keyPk == null) {
            report.fail("signing-key", "no signing key is set: tokens fall back to HS256 (OIDC) or go unsigned (SAML), which ChatGPT rejects");
            return;
        }
        Optional<CertificateKeyPair> key = client.certificateKeyPair(keyPk);
        if (key.isEmpty()) {
            report.fail("signing-key", "signing key " + keyPk + " is not visible in authentik");
            return;
        }
        CertificateKeyPair pair = key.get();
        String type = pair.effectiveKeyType() == null ? "unknown" : pair.effectiveKeyType().toLowerCase();
        if (!Boolean.TRUE.equals(pair.privateKeyAvailable()) || !acceptedTypes.contains(type)) {
            report.fail("signing-key", "signing key '" + pair.name() + "' is " + type + (Boolean.TRUE.equals(pair.privateKeyAvailable())
                    ? "" : " without a private key") + "; needs " + String.join(" or ", acceptedTypes) + " with a private key");
            return;
        }
        OffsetDateTime expiry = pair.certExpiry() == null ? null : OffsetDateTime.parse(pair.certExpiry());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (expiry == null) {
            report.pass("signing-key", "signing key '" + pair.name() + "' (" + type + ") is usable");
        } else if (expiry.isBefore(now)) {
            report.fail("signing-key", "the certificate of signing key '" + pair.name() + "' expired on " + expiry);
        } else if (expiry.isBefore(now.plus(config.verify().certificateExpiryWarning()))) {
            report.warn("signing-key", "the certificate of signing key '" + pair.name() + "' expires on " + expiry
                    + ": rotate it and update ChatGPT before then");
        } else {
            report.pass("signing-key", "signing key '" + pair.name() + "' (" + type + ") is usable until " + expiry);
        }
    }

    private static void redirectCheck(Integration integration, OAuth2Provider stored, Report report) {
        List<RedirectUri> uris = stored.redirectUris() == null ? List.of() : stored.redirectUris();
        String listed = uris.stream().map(u -> u.matchingMode() + " " + u.url()).toList().toString();
        boolean typed = stored.grantTypes() != null;
        if (integration.status != IntegrationStatus.ACTIVE) {
            report.warn("redirect-uris", "not finalised yet: the redirect list is " + listed
                    + "; ChatGPT's SSO test fails until finalise sets its Login redirect URI");
            return;
        }
        boolean exact = uris.size() == 1 && "strict".equals(uris.get(0).matchingMode())
                && uris.get(0).url().equals(integration.loginRedirectUri)
                && (!typed || "authorization".equals(uris.get(0).redirectUriType()));
        report.check("redirect-uris", exact, "the only redirect URI is ChatGPT's Login redirect URI (strict)",
                "the redirect list is " + listed + ", expected exactly [strict " + integration.loginRedirectUri + "]");
    }

    /**
     * pks of authentik's managed mappings in the order asked for, null for one that is missing. Read live, not from the
     * catalog: verify reports what authentik holds now (a managed mapping deleted and made again by authentik's
     * blueprints has a new pk), and a missing one is a finding of the report, not an error answer.
     */
    private static List<String> liveManagedMappings(AuthentikClient client, MappingKind kind, List<String> managedIds) {
        List<PropertyMapping> found = client.managedMappings(kind, managedIds);
        return managedIds.stream().map(id -> found.stream().filter(m -> id.equals(m.managed())).map(PropertyMapping::pk)
                .findFirst().orElse(null)).toList();
    }

    private void mappingsCheck(AuthentikInstance instance, AuthentikClient client, OAuth2Provider stored, Report report) {
        List<String> attached = stored.propertyMappings() == null ? List.of() : stored.propertyMappings();
        List<String> managed = liveManagedMappings(client, MappingKind.SCOPE,
                List.of(ChatGptOidcRecipe.MANAGED_OPENID, ChatGptOidcRecipe.MANAGED_EMAIL, ChatGptOidcRecipe.MANAGED_PROFILE));
        String profile = instance.ownedMappings.get(ChatGptOidcRecipe.profileMapping(instance.id).purpose());
        List<String> problems = new ArrayList<>();
        if (!attached.contains(managed.get(0))) problems.add("the managed openid mapping is missing");
        if (!attached.contains(managed.get(1))) problems.add("the managed email mapping is missing (ChatGPT needs email)");
        if (attached.contains(managed.get(2))) problems.add("the managed profile mapping is attached (its given_name clashes; no family_name)");
        if (profile == null || !attached.contains(profile)) problems.add("the service's profile mapping (family_name) is missing");
        report.check("property-mappings", problems.isEmpty(), "openid + email + the service's profile mapping", String.join("; ", problems));
    }

    private static void claimsCheck(AuthentikClient client, OAuth2Provider stored, String previewUsername, Optional<Integer> previewUserPk,
            Report report) {
        if (previewUsername != null && previewUserPk.isEmpty()) {
            report.fail("claims-preview", "user '" + previewUsername + "' is not visible in authentik");
            return;
        }
        Preview preview = client.previewOAuth2User(stored.pk(), previewUserPk.orElse(null));
        Map<String, JsonNode> claims = preview.preview() == null ? Map.of() : preview.preview();
        String who = previewUsername == null ? "the token's user" : "'" + previewUsername + "'";
        List<String> missing = new ArrayList<>();
        for (String claim : List.of("sub", "email", "given_name", "family_name")) {
            if (!claims.containsKey(claim) || claims.get(claim).isNull()) missing.add(claim);
        }
        List<String> empty = new ArrayList<>();
        for (String claim : List.of("sub", "email", "given_name", "family_name")) {
            if (claims.containsKey(claim) && claims.get(claim).isTextual() && claims.get(claim).asText().isBlank()) empty.add(claim);
        }
        if (!missing.isEmpty()) {
            report.fail("claims-preview", "the ID token for " + who + " lacks " + missing);
        } else if (empty.contains("sub") || empty.contains("email")) {
            report.fail("claims-preview", "the ID token for " + who + " has an empty " + empty + ": ChatGPT cannot sign this user in");
        } else if (!empty.isEmpty()) {
            report.warn("claims-preview", "the ID token for " + who + " has an empty " + empty + " (a one-word name?)");
        } else {
            report.pass("claims-preview", "the ID token for " + who + " carries sub, email, given_name and family_name");
        }
    }

    private void discoveryChecks(Integration integration, AuthentikInstance instance, AuthentikClient client, Optional<JsonNode> document,
            Report report) {
        if (document.isEmpty()) {
            for (String id : List.of("discovery-issuer", "discovery-https", "discovery-jwks", "discovery-signing-alg")) {
                report.fail(id, "the discovery document " + integration.discoveryEndpoint + " answered 404");
            }
            return;
        }
        JsonNode doc = document.get();
        String issuer = doc.path("issuer").asText("");
        report.check("discovery-issuer", issuer.equals(integration.issuer) && integration.discoveryEndpoint.startsWith(issuer),
                "issuer " + issuer + " is exactly the prefix of the discovery URL given to ChatGPT",
                "issuer '" + issuer + "' differs from '" + integration.issuer + "', the prefix of the discovery URL given to ChatGPT"
                        + " (global issuer mode, or a proxy that rewrites host or scheme); strict clients refuse it");

        List<String> plain = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = doc.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if ((field.getKey().endsWith("_endpoint") || field.getKey().equals("jwks_uri") || field.getKey().equals("issuer"))
                    && field.getValue().isTextual() && !field.getValue().asText().startsWith("https://")) {
                plain.add(field.getKey());
            }
        }
        boolean instanceOverHttp = instance.baseUrl.startsWith("http://");
        if (plain.isEmpty()) {
            report.pass("discovery-https", "every endpoint is https");
        } else if (instanceOverHttp && plain.size() == countUrls(doc)) {
            report.warn("discovery-https", "the instance is registered over plain http (allowed by provisioner.outbound.allow-private-networks)"
                    + "; ChatGPT needs https endpoints");
        } else {
            report.fail("discovery-https", "not https: " + plain);
        }

        String jwksUri = doc.path("jwks_uri").asText("");
        String expectedJwks = ChatGptOidcRecipe.issuer(instance.baseUrl, integration.appSlug) + "jwks/";
        if (!jwksUri.equals(expectedJwks)) {
            report.fail("discovery-jwks", "jwks_uri '" + jwksUri + "' is not the application's JWKS on this instance (" + expectedJwks + ")");
        } else if (!report.usable("signing-key")) {
            report.skip("discovery-jwks", "the signing-key check failed");
        } else {
            Optional<JsonNode> jwks = client.jwks(integration.appSlug);
            int keys = jwks.map(j -> j.path("keys").size()).orElse(0);
            report.check("discovery-jwks", keys > 0, "the JWKS publishes " + keys + " key(s)", "the JWKS is empty or missing");
        }

        List<String> algorithms = new ArrayList<>();
        doc.path("id_token_signing_alg_values_supported").forEach(a -> algorithms.add(a.asText()));
        if (!report.usable("signing-key") && algorithms.stream().noneMatch(Verification::acceptedAlgorithm)) {
            report.skip("discovery-signing-alg", "the signing-key check failed");
        } else {
            report.check("discovery-signing-alg", !algorithms.isEmpty() && algorithms.stream().allMatch(Verification::acceptedAlgorithm),
                    "ID tokens are signed with " + algorithms, "ID tokens are signed with " + algorithms + "; ChatGPT needs RS256 or ES*");
        }
    }

    private static int countUrls(JsonNode doc) {
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> fields = doc.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if ((field.getKey().endsWith("_endpoint") || field.getKey().equals("jwks_uri") || field.getKey().equals("issuer"))
                    && field.getValue().isTextual()) {
                count++;
            }
        }
        return count;
    }

    private static boolean acceptedAlgorithm(String algorithm) {
        return algorithm.equals("RS256") || algorithm.startsWith("ES");
    }

    // ------------------------------------------------------------------ SAML

    private void verifySaml(Integration integration, AuthentikInstance instance, AuthentikClient client, Report report) {
        CompletableFuture<Optional<SamlProvider>> providerCall = parallel.start(() -> client.samlProvider(integration.providerPk));
        CompletableFuture<Optional<Application>> appCall = parallel.start(() -> client.application(integration.appSlug));
        ParallelCalls.joinAll(providerCall, appCall);
        Optional<SamlProvider> provider = ParallelCalls.join(providerCall);
        boolean providerOurs = provider.isPresent() && Objects.equals(provider.get().name(), integration.providerName);
        applicationChecks(integration, client, ParallelCalls.join(appCall), provider.map(SamlProvider::assignedApplicationSlug), report,
                slug -> baseOf(integration.samlSsoUrl) + "/application/saml/" + slug + "/");
        if (provider.isEmpty()) {
            report.fail("provider", "provider " + integration.providerPk + " is not visible in authentik: deleted, or the token lost its view permission");
        } else {
            report.check("provider", providerOurs, "provider " + integration.providerPk + " exists and is still the one this service "
                    + (integration.adopted ? "adopted" : "created"), "provider " + integration.providerPk + " no longer carries the name recorded for it");
        }
        if (!providerOurs) {
            for (String id : List.of("signing", "signing-key", "certificate-fingerprint", "acs-url", "audience", "name-id", "saml-mappings")) {
                report.skip(id, "the provider check failed");
            }
            return;
        }
        SamlProvider stored = provider.get();
        boolean signing = stored.signingKp() != null && (Boolean.TRUE.equals(stored.signAssertion()) || Boolean.TRUE.equals(stored.signResponse()));
        report.check("signing", signing, "signed: " + (Boolean.TRUE.equals(stored.signAssertion()) ? "assertion" : "")
                        + (Boolean.TRUE.equals(stored.signAssertion()) && Boolean.TRUE.equals(stored.signResponse()) ? " and " : "")
                        + (Boolean.TRUE.equals(stored.signResponse()) ? "response" : ""),
                stored.signingKp() == null ? "no signing key is set: assertions go out unsigned" : "neither assertion nor response is signed");
        if (stored.signingKp() == null) {
            report.skip("signing-key", "the signing check failed");
            report.skip("certificate-fingerprint", "the signing check failed");
        } else {
            signingKeyCheck(client, stored.signingKp(), List.copyOf(ChatGptSamlRecipe.SIGNING_KEY_TYPES), report);
            fingerprintCheck(integration, client, stored.signingKp(), report);
        }
        if (integration.status != IntegrationStatus.ACTIVE) {
            report.warn("acs-url", "not finalised yet: the ACS URL is " + stored.acsUrl() + "; ChatGPT's SSO test fails until finalise");
            report.warn("audience", "not finalised yet: no audience restriction");
        } else {
            report.check("acs-url", Objects.equals(stored.acsUrl(), integration.samlAcsUrl), "the ACS URL is ChatGPT's, as finalised",
                    "the ACS URL is " + stored.acsUrl() + ", finalised as " + integration.samlAcsUrl);
            report.check("audience", Objects.equals(stored.audience(), integration.samlAudience), "the audience is ChatGPT's, as finalised",
                    "the audience is '" + stored.audience() + "', finalised as '" + integration.samlAudience + "'");
        }
        String managedEmail = liveManagedMappings(client, MappingKind.SAML, List.of(ChatGptSamlRecipe.MANAGED_EMAIL)).get(0);
        report.check("name-id", managedEmail != null && managedEmail.equals(stored.nameIdMapping()), "the NameID is the user's email",
                managedEmail == null ? "authentik's managed email mapping (" + ChatGptSamlRecipe.MANAGED_EMAIL + ") is missing"
                        : "the NameID mapping is " + stored.nameIdMapping() + ", not authentik's email mapping: ChatGPT identifies users by email");
        List<String> attached = stored.propertyMappings() == null ? List.of() : stored.propertyMappings();
        List<String> missing = new ArrayList<>();
        if (managedEmail == null || !attached.contains(managedEmail)) missing.add("email");
        if (!attached.contains(instance.ownedMappings.get("saml-given-name"))) missing.add("givenname");
        if (!attached.contains(instance.ownedMappings.get("saml-surname"))) missing.add("surname");
        report.check("saml-mappings", missing.isEmpty(), "attributes email, givenname and surname are sent", "attributes missing: " + missing);
    }

    private static void fingerprintCheck(Integration integration, AuthentikClient client, String keyPk, Report report) {
        if (integration.certificateFingerprint == null) {
            report.warn("certificate-fingerprint", "not finalised yet: no fingerprint recorded to compare with");
            return;
        }
        Optional<String> now = client.certificateKeyPair(keyPk).map(CertificateKeyPair::fingerprintSha256);
        report.check("certificate-fingerprint", now.isPresent() && now.get().equals(integration.certificateFingerprint),
                "the signing certificate is the one ChatGPT was given at finalise",
                "the signing certificate changed since finalise (" + integration.certificateFingerprint + " → " + now.orElse("none")
                        + "): enter the new certificate in ChatGPT");
    }

    private static String baseOf(String url) {
        if (url == null) {
            return "";
        }
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

}
