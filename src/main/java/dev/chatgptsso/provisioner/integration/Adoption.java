package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.ProviderSummary;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.RedirectUri;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SamlProvider;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe;
import dev.chatgptsso.provisioner.instance.AuthentikInstance;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Takes over a ChatGPT integration an admin made by hand: reads its application and provider and
 * records them as adopted. Adopted objects are never deleted by the service, only released; nothing
 * is written to authentik when adopting.
 */
@ApplicationScoped
class Adoption {

    /** Builds the record of an existing application and its provider; throws when there is nothing to adopt. */
    Integration read(AuthentikInstance instance, AuthentikClient client, String slug, String tenantId) {
        Application app = client.application(slug).orElseThrow(() -> notFound("no application with slug '" + slug
                + "' is visible in authentik"));
        ProviderSummary summary = app.providerObj();
        if (app.provider() == null || summary == null) {
            throw notFound("application '" + slug + "' has no provider to adopt");
        }
        Integration integration = new Integration();
        integration.id = UUID.randomUUID();
        integration.tenantId = tenantId;
        integration.instanceId = instance.id;
        integration.adopted = true;
        integration.appName = app.name();
        integration.appSlug = app.slug();
        integration.appGroup = app.group() == null || app.group().isEmpty() ? null : app.group();
        integration.policyEngineMode = app.policyEngineMode() == null ? "any" : app.policyEngineMode();
        integration.applicationPk = UUID.fromString(app.pk());
        integration.providerPk = app.provider();
        integration.authentikVersion = instance.version;
        integration.createdAt = Database.now();
        integration.updatedAt = integration.createdAt;
        String model = summary.metaModelName() == null ? "" : summary.metaModelName();
        if (model.equals(ChatGptOidcRecipe.PROVIDER_MODEL)) {
            readOidc(instance, client, integration);
        } else if (model.equals(ChatGptSamlRecipe.PROVIDER_MODEL)) {
            readSaml(client, integration);
        } else {
            throw notFound("application '" + slug + "' uses a " + model + " provider; only OAuth2/OpenID and SAML can be adopted");
        }
        return integration;
    }

    private static void readOidc(AuthentikInstance instance, AuthentikClient client, Integration integration) {
        OAuth2Provider provider = client.oauth2Provider(integration.providerPk)
                .orElseThrow(() -> notFound("provider " + integration.providerPk + " is not visible in authentik"));
        integration.protocol = "oidc";
        integration.providerName = provider.name();
        integration.clientId = provider.clientId();
        integration.propertyMappingPks = new ArrayList<>(provider.propertyMappings() == null ? List.of() : provider.propertyMappings());
        integration.signingKeyPk = provider.signingKey() == null ? null : UUID.fromString(provider.signingKey());
        integration.issuer = ChatGptOidcRecipe.issuer(instance.baseUrl, integration.appSlug);
        integration.discoveryEndpoint = ChatGptOidcRecipe.discoveryEndpoint(instance.baseUrl, integration.appSlug);
        List<RedirectUri> uris = provider.redirectUris() == null ? List.of() : provider.redirectUris();
        integration.redirectUris = new ArrayList<>(uris.stream().map(RedirectUri::url).toList());
        boolean finalised = uris.size() == 1 && "strict".equals(uris.get(0).matchingMode())
                && !ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI.equals(uris.get(0).url());
        integration.loginRedirectUri = finalised ? uris.get(0).url() : null;
        integration.status = finalised ? IntegrationStatus.ACTIVE : IntegrationStatus.AWAITING_FINALISE;
    }

    private static void readSaml(AuthentikClient client, Integration integration) {
        SamlProvider provider = client.samlProvider(integration.providerPk)
                .orElseThrow(() -> notFound("provider " + integration.providerPk + " is not visible in authentik"));
        integration.protocol = "saml";
        integration.providerName = provider.name();
        integration.propertyMappingPks = new ArrayList<>(provider.propertyMappings() == null ? List.of() : provider.propertyMappings());
        integration.signingKeyPk = provider.signingKp() == null ? null : UUID.fromString(provider.signingKp());
        integration.samlEntityId = provider.entityId();
        integration.samlSsoUrl = provider.signInUrl();
        integration.samlSloUrl = provider.signOutUrl();
        integration.samlMetadataUrl = provider.urlDownloadMetadata();
        integration.samlAcsUrl = provider.acsUrl();
        integration.samlAudience = provider.audience() == null ? "" : provider.audience();
        if (provider.signingKp() != null) {
            integration.samlCertificatePem = client.certificatePem(provider.signingKp()).orElse(null);
        }
        boolean finalised = provider.acsUrl() != null && !ChatGptSamlRecipe.TEMPORARY_ACS_URL.equals(provider.acsUrl())
                && !integration.samlAudience.isEmpty();
        if (finalised && provider.signingKp() != null) {
            integration.certificateFingerprint = client.certificateKeyPair(provider.signingKp())
                    .map(CertificateKeyPair::fingerprintSha256).orElse(null);
        }
        integration.status = finalised ? IntegrationStatus.ACTIVE : IntegrationStatus.AWAITING_FINALISE;
    }

    private static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.AUTHENTIK_OBJECT_NOT_FOUND, detail,
                List.of(new Problem.FieldError("applicationSlug", detail)), Map.of());
    }
}
