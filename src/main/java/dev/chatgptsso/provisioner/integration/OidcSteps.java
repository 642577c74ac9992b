package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.ApiGeneration;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import dev.chatgptsso.provisioner.authentik.ParallelCalls;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe.ApplicationInputs;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe.ProviderInputs;
import dev.chatgptsso.provisioner.chatgpt.LoginRedirectUri;
import dev.chatgptsso.provisioner.instance.InstanceCatalog;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The ChatGPT OIDC workflow's own steps: when each part of {@link ChatGptOidcRecipe} is looked up, written and checked. */
@ApplicationScoped
class OidcSteps implements ProtocolSteps {
    private final InstanceCatalog catalog;
    private final ParallelCalls parallel;
    private final Secrets secrets;
    private final ProvisionerConfig config;

    OidcSteps(InstanceCatalog catalog, ParallelCalls parallel, Secrets secrets, ProvisionerConfig config) {
        this.catalog = catalog;
        this.parallel = parallel;
        this.secrets = secrets;
        this.config = config;
    }

    private record Expected(ApiGeneration generation, ProviderInputs provider) {}

    @Override
    public void nameObjects(Integration draft) {
        draft.providerName = ChatGptOidcRecipe.providerName(draft.appSlug, draft.id);
        draft.clientId = secrets.alphanumeric(40);
    }

    @Override
    public Prepared prepare(Context context, IntegrationApi.CreateIntegration request) {
        var instance = context.instance();
        AuthentikClient client = context.client();
        String flowSlug = Optional.ofNullable(request.authorizationFlowSlug()).orElse(config.chatgpt().authorizationFlowSlug());
        String flowField = request.authorizationFlowSlug() == null ? null : "authorizationFlowSlug";
        InstanceCatalog.Lookups lookups = catalog.lookups(instance, client);
        CompletableFuture<ApiGeneration> generation = lookups.generation();
        CompletableFuture<Flow> authorization = lookups.flow(flowSlug, "authorization", flowField);
        CompletableFuture<Flow> invalidation = lookups.flow(config.chatgpt().invalidationFlowSlug(), "invalidation", null);
        CompletableFuture<CertificateKeyPair> key = lookups.signingKey(request.signingKeyId(), config.chatgpt().signingKeyName(),
                ChatGptOidcRecipe.SIGNING_KEY_TYPES, "OIDC token signing");
        CompletableFuture<List<String>> managed = lookups.managedMappings(MappingKind.SCOPE, ChatGptOidcRecipe.MANAGED_SCOPES);
        CompletableFuture<String> profile = lookups.ownedMapping(ChatGptOidcRecipe.profileMapping(instance.id));
        ParallelCalls.joinAll(generation, authorization, invalidation, key, managed, profile);

        Integration integration = context.integration();
        List<String> mappingPks = new ArrayList<>(ParallelCalls.join(managed));
        mappingPks.add(ParallelCalls.join(profile));
        ProviderInputs provider = new ProviderInputs(integration.providerName, ParallelCalls.join(authorization).pk(),
                ParallelCalls.join(invalidation).pk(), ParallelCalls.join(key).pk(), List.copyOf(mappingPks), integration.clientId,
                secrets.alphanumeric(128));
        ApplicationInputs application = new ApplicationInputs(integration.appName, integration.appSlug, integration.appGroup,
                integration.policyEngineMode);
        ApiGeneration gen = ParallelCalls.join(generation);
        return new Prepared(ChatGptOidcRecipe.applicationWithProvider(gen, application, provider), i -> {
            i.propertyMappingPks = new ArrayList<>(mappingPks);
            i.signingKeyPk = java.util.UUID.fromString(provider.signingKeyPk());
        }, provider.clientSecret(), new Expected(gen, provider));
    }

    @Override
    public Consumer<Integration> readBack(Context context, Prepared prepared) {
        Expected expected = (Expected) prepared.expected();
        Integration integration = context.integration();
        AuthentikClient client = context.client();
        CompletableFuture<Optional<Application>> app = parallel.start(() -> client.application(integration.appSlug));
        CompletableFuture<List<OAuth2Provider>> providers = ParallelCalls.onThisThread(
                () -> client.oauth2ProvidersWithClientId(expected.provider().clientId()));
        ParallelCalls.joinAll(app, providers);
        Application createdApp = ParallelCalls.join(app)
                .orElseThrow(() -> mismatch("the application is not readable after authentik reported it created"));
        OAuth2Provider stored = ParallelCalls.join(providers).stream().filter(p -> expected.provider().clientId().equals(p.clientId()))
                .findFirst().orElseThrow(() -> mismatch("the provider is not readable after authentik reported it created"));
        if (!Objects.equals(createdApp.provider(), stored.pk())) {
            throw mismatch("the application is not bound to the provider created with it");
        }
        ApiGeneration generation = expected.generation();
        ApiGeneration seen = generationOf(stored);
        if (seen != generation) {
            // the instance was upgraded (or downgraded) since its version was cached: read and record it, then repair
            catalog.invalidate(context.instance().id);
            catalog.generation(context.instance(), client);
            if (seen.requiresGrantTypes()) {
                stored = client.patchOAuth2Provider(stored.pk(), Map.of("grant_types", ChatGptOidcRecipe.GRANT_TYPES,
                        "redirect_uris", ChatGptOidcRecipe.redirectUris(seen, ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI)));
            }
        }
        List<String> differences = new ArrayList<>(
                ChatGptOidcRecipe.storedDifferences(seen, expected.provider(), stored, ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI));
        if (!expected.provider().clientSecret().equals(stored.clientSecret())) {
            differences.add("client_secret");
        }
        if (!differences.isEmpty()) {
            throw mismatch("authentik stored different values for " + String.join(", ", differences));
        }
        String baseUrl = context.instance().baseUrl;
        String version = context.instance().version;
        Integer providerPk = stored.pk();
        return i -> {
            i.authentikVersion = version;
            i.applicationPk = java.util.UUID.fromString(createdApp.pk());
            i.providerPk = providerPk;
            i.issuer = ChatGptOidcRecipe.issuer(baseUrl, i.appSlug);
            i.discoveryEndpoint = ChatGptOidcRecipe.discoveryEndpoint(baseUrl, i.appSlug);
            i.redirectUris = new ArrayList<>(List.of(ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI));
        };
    }

    /** Response-shape sniffing (REFERENCE 2.2): 2026.5+ always returns {@code grant_types}. */
    static ApiGeneration generationOf(OAuth2Provider stored) {
        return stored.grantTypes() != null ? ApiGeneration.V2026_5 : ApiGeneration.V2024_12;
    }

    @Override
    public Optional<Integer> attemptProvider(AuthentikClient client, Integration integration) {
        if (integration.providerName == null) {
            return Optional.empty();
        }
        return client.oauth2ProvidersNamed(integration.providerName).stream()
                .filter(p -> integration.providerName.equals(p.name())).map(OAuth2Provider::pk).findFirst();
    }

    @Override
    public Optional<ProviderFacts> readProvider(AuthentikClient client, int providerPk) {
        return client.oauth2Provider(providerPk).map(p -> new ProviderFacts(p.pk(), p.name(), p.assignedApplicationSlug()));
    }

    @Override
    public boolean deleteProvider(AuthentikClient client, int providerPk) {
        return client.deleteOAuth2Provider(providerPk);
    }

    @Override
    public List<Problem.FieldError> finaliseProblems(IntegrationApi.Finalise body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        LoginRedirectUri.problem(body == null ? null : body.loginRedirectUri())
                .ifPresent(message -> errors.add(new Problem.FieldError("loginRedirectUri", message)));
        if (body != null && body.acsUrl() != null) {
            errors.add(new Problem.FieldError("acsUrl", "is for SAML integrations; this one is OIDC"));
        }
        if (body != null && body.audience() != null) {
            errors.add(new Problem.FieldError("audience", "is for SAML integrations; this one is OIDC"));
        }
        return errors;
    }

    @Override
    public String finaliseTarget(IntegrationApi.Finalise body) {
        return body.loginRedirectUri();
    }

    @Override
    public boolean finalisedWith(Integration integration, String target) {
        return target.equals(integration.loginRedirectUri);
    }

    @Override
    public Consumer<Integration> finalise(Context context, String uri) {
        Integration integration = context.integration();
        AuthentikClient client = context.client();
        StepLog log = context.log();
        ApiGeneration generation = catalog.generation(context.instance(), client);
        log.enter("finalise-redirect-uri");
        client.patchOAuth2Provider(integration.providerPk, Map.of("redirect_uris", ChatGptOidcRecipe.redirectUris(generation, uri)));
        log.enter("finalise-read-back");
        OAuth2Provider stored = client.oauth2Provider(integration.providerPk)
                .orElseThrow(() -> mismatch("the provider is not readable after the redirect URI was written; check the token's permissions"));
        if (!ChatGptOidcRecipe.redirectDifferences(generationOf(stored), stored, uri).isEmpty()) {
            throw mismatch("authentik did not store exactly the Login redirect URI as the only strict authorization redirect");
        }
        return i -> {
            i.loginRedirectUri = uri;
            i.redirectUris = new ArrayList<>(List.of(uri));
        };
    }

    /** Replaces only {@code client_secret}, reads it back, and returns the new secret. */
    String rotateSecret(Context context) {
        Integration integration = context.integration();
        AuthentikClient client = context.client();
        String secret = secrets.alphanumeric(128);
        context.log().enter("rotate-secret");
        client.patchOAuth2Provider(integration.providerPk, Map.of("client_secret", secret));
        context.log().enter("rotate-read-back");
        OAuth2Provider stored = client.oauth2Provider(integration.providerPk)
                .orElseThrow(() -> mismatch("the provider is not readable after the secret was written; check the token's permissions"));
        if (!secret.equals(stored.clientSecret())) {
            throw mismatch("authentik did not store the new client secret");
        }
        return secret;
    }

    static ProblemException mismatch(String detail) {
        return new ProblemException(ProblemType.AUTHENTIK_STATE_MISMATCH, detail);
    }
}
