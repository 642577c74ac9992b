package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SamlProvider;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import dev.chatgptsso.provisioner.authentik.ParallelCalls;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe.ApplicationInputs;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe.ProviderInputs;
import dev.chatgptsso.provisioner.chatgpt.LoginRedirectUri;
import dev.chatgptsso.provisioner.instance.InstanceCatalog;
import dev.chatgptsso.provisioner.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The ChatGPT SAML workflow's own steps: when each part of {@link ChatGptSamlRecipe} is looked up, written and checked. */
@ApplicationScoped
class SamlSteps implements ProtocolSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InstanceCatalog catalog;
    private final ParallelCalls parallel;
    private final ProvisionerConfig config;

    SamlSteps(InstanceCatalog catalog, ParallelCalls parallel, ProvisionerConfig config) {
        this.catalog = catalog;
        this.parallel = parallel;
        this.config = config;
    }

    /** ChatGPT's ACS URL and Audience, as the finalise body gives them and as they are stored while in flight. */
    record Target(String acsUrl, String audience) {
        String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Target fromJson(String json) {
            try {
                return JSON.readValue(json, Target.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable finalise target", e);
            }
        }
    }

    @Override
    public void nameObjects(Integration draft) {
        draft.providerName = ChatGptSamlRecipe.providerName(draft.appSlug, draft.id);
    }

    @Override
    public Prepared prepare(Context context, IntegrationApi.CreateIntegration request) {
        var instance = context.instance();
        AuthentikClient client = context.client();
        String flowSlug = Optional.ofNullable(request.authorizationFlowSlug()).orElse(config.chatgpt().authorizationFlowSlug());
        String flowField = request.authorizationFlowSlug() == null ? null : "authorizationFlowSlug";
        InstanceCatalog.Lookups lookups = catalog.lookups(instance, client);
        CompletableFuture<?> generation = lookups.generation();
        CompletableFuture<Flow> authorization = lookups.flow(flowSlug, "authorization", flowField);
        CompletableFuture<Flow> invalidation = lookups.flow(config.chatgpt().invalidationFlowSlug(), "invalidation", null);
        CompletableFuture<CertificateKeyPair> key = lookups.signingKey(request.signingKeyId(), config.chatgpt().signingKeyName(),
                List.copyOf(ChatGptSamlRecipe.SIGNING_KEY_TYPES), "SAML signing");
        CompletableFuture<List<String>> email = lookups.managedMappings(MappingKind.SAML, List.of(ChatGptSamlRecipe.MANAGED_EMAIL));
        CompletableFuture<String> givenName = lookups.ownedMapping(ChatGptSamlRecipe.givenNameMapping(instance.id));
        CompletableFuture<String> surname = lookups.ownedMapping(ChatGptSamlRecipe.surnameMapping(instance.id));
        ParallelCalls.joinAll(generation, authorization, invalidation, key, email, givenName, surname);

        Integration integration = context.integration();
        String emailPk = ParallelCalls.join(email).get(0);
        List<String> mappingPks = List.of(emailPk, ParallelCalls.join(givenName), ParallelCalls.join(surname));
        CertificateKeyPair signingKey = ParallelCalls.join(key);
        ProviderInputs provider = new ProviderInputs(integration.providerName, ParallelCalls.join(authorization).pk(), ParallelCalls.join(invalidation).pk(), signingKey.pk(),
                signingKey.effectiveKeyType(), emailPk, mappingPks);
        ApplicationInputs application = new ApplicationInputs(integration.appName, integration.appSlug, integration.appGroup,
                integration.policyEngineMode);
        return new Prepared(ChatGptSamlRecipe.applicationWithProvider(application, provider), i -> {
            i.propertyMappingPks = new ArrayList<>(mappingPks);
            i.signingKeyPk = UUID.fromString(provider.signingKeyPk());
        }, null, provider);
    }

    @Override
    public Consumer<Integration> readBack(Context context, Prepared prepared) {
        ProviderInputs expected = (ProviderInputs) prepared.expected();
        Integration integration = context.integration();
        AuthentikClient client = context.client();
        CompletableFuture<Optional<Application>> app = parallel.start(() -> client.application(integration.appSlug));
        CompletableFuture<List<SamlProvider>> providers = parallel.start(() -> client.samlProvidersNamed(expected.name()));
        CompletableFuture<Optional<String>> certificate = ParallelCalls.onThisThread(() -> client.certificatePem(expected.signingKeyPk()));
        ParallelCalls.joinAll(app, providers, certificate);
        Application createdApp = ParallelCalls.join(app)
                .orElseThrow(() -> OidcSteps.mismatch("the application is not readable after authentik reported it created"));
        SamlProvider stored = ParallelCalls.join(providers).stream().filter(p -> expected.name().equals(p.name())).findFirst()
                .orElseThrow(() -> OidcSteps.mismatch("the provider is not readable after authentik reported it created"));
        if (!Objects.equals(createdApp.provider(), stored.pk())) {
            throw OidcSteps.mismatch("the application is not bound to the provider created with it");
        }
        List<String> differences = ChatGptSamlRecipe.storedDifferences(expected, stored, ChatGptSamlRecipe.TEMPORARY_ACS_URL, "");
        if (!differences.isEmpty()) {
            throw OidcSteps.mismatch("authentik stored different values for " + String.join(", ", differences));
        }
        String pem = ParallelCalls.join(certificate)
                .orElseThrow(() -> OidcSteps.mismatch("the signing certificate is not readable; check the token's permissions"));
        Integer providerPk = stored.pk();
        return i -> {
            i.applicationPk = UUID.fromString(createdApp.pk());
            i.providerPk = providerPk;
            i.samlEntityId = stored.entityId();
            i.samlSsoUrl = stored.signInUrl();
            i.samlSloUrl = stored.signOutUrl();
            i.samlMetadataUrl = stored.urlDownloadMetadata();
            i.samlCertificatePem = pem;
            i.samlAcsUrl = ChatGptSamlRecipe.TEMPORARY_ACS_URL;
            i.samlAudience = "";
        };
    }

    @Override
    public Optional<Integer> attemptProvider(AuthentikClient client, Integration integration) {
        if (integration.providerName == null) {
            return Optional.empty();
        }
        return client.samlProvidersNamed(integration.providerName).stream()
                .filter(p -> integration.providerName.equals(p.name())).map(SamlProvider::pk).findFirst();
    }

    @Override
    public Optional<ProviderFacts> readProvider(AuthentikClient client, int providerPk) {
        return client.samlProvider(providerPk).map(p -> new ProviderFacts(p.pk(), p.name(), p.assignedApplicationSlug()));
    }

    @Override
    public boolean deleteProvider(AuthentikClient client, int providerPk) {
        return client.deleteSamlProvider(providerPk);
    }

    @Override
    public List<Problem.FieldError> finaliseProblems(IntegrationApi.Finalise body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        LoginRedirectUri.problem(body == null ? null : body.acsUrl()).ifPresent(message -> errors.add(new Problem.FieldError("acsUrl", message)));
        LoginRedirectUri.audienceProblem(body == null ? null : body.audience())
                .ifPresent(message -> errors.add(new Problem.FieldError("audience", message)));
        if (body != null && body.loginRedirectUri() != null) {
            errors.add(new Problem.FieldError("loginRedirectUri", "is for OIDC integrations; this one is SAML"));
        }
        return errors;
    }

    @Override
    public String finaliseTarget(IntegrationApi.Finalise body) {
        return new Target(body.acsUrl(), body.audience()).toJson();
    }

    @Override
    public boolean finalisedWith(Integration integration, String target) {
        Target wanted = Target.fromJson(target);
        return wanted.acsUrl().equals(integration.samlAcsUrl) && wanted.audience().equals(integration.samlAudience);
    }

    @Override
    public Consumer<Integration> finalise(Context context, String targetJson) {
        Target target = Target.fromJson(targetJson);
        Integration integration = context.integration();
        AuthentikClient client = context.client();
        context.log().enter("finalise-acs-url-and-audience");
        client.patchSamlProvider(integration.providerPk, ChatGptSamlRecipe.finalisePatch(target.acsUrl(), target.audience()));
        context.log().enter("finalise-read-back");
        CompletableFuture<Optional<SamlProvider>> provider = parallel.start(() -> client.samlProvider(integration.providerPk));
        CompletableFuture<Optional<CertificateKeyPair>> key = parallel.start(() -> integration.signingKeyPk == null ? Optional.empty()
                : client.certificateKeyPair(integration.signingKeyPk.toString()));
        ParallelCalls.joinAll(provider, key);
        SamlProvider stored = ParallelCalls.join(provider)
                .orElseThrow(() -> OidcSteps.mismatch("the provider is not readable after the ACS URL was written; check the token's permissions"));
        List<String> differences = ChatGptSamlRecipe.finaliseDifferences(stored, target.acsUrl(), target.audience());
        if (!differences.isEmpty()) {
            throw OidcSteps.mismatch("authentik stored different values for " + String.join(", ", differences));
        }
        String fingerprint = ParallelCalls.join(key).map(CertificateKeyPair::fingerprintSha256).orElse(null);
        return i -> {
            i.samlAcsUrl = target.acsUrl();
            i.samlAudience = target.audience();
            i.certificateFingerprint = fingerprint;
        };
    }

}
