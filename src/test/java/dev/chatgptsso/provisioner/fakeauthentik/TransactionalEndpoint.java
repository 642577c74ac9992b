package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.UUID;

/**
 * {@code PUT core/transactional/applications/} (REFERENCE 9.5): provider and application created atomically by
 * a blueprint whose entries are "must_created"; answers {@code {"applied", "logs"}} without ids. Errors are
 * nested by part ({@code {"provider": {...}}} or {@code {"app": {...}}}); the provider entry is checked first.
 */
final class TransactionalEndpoint {

    private static final List<String> PROVIDER_MODELS = List.of(Choices.PROVIDER_MODEL_OAUTH2, Choices.PROVIDER_MODEL_SAML);
    private static final String MUST_CREATED = "State is set to must_created and object exists already";

    private final FakeState state;

    TransactionalEndpoint(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        routes.add("PUT", SchemaValidator.TRANSACTIONAL_PATH, Routes.Access.WRITE, this::apply);
    }

    private ApiResponse apply(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        FieldReader top = new FieldReader(body, true);
        top.choice("provider_model", true, PROVIDER_MODELS);
        JsonNode app = body.get("app");
        JsonNode provider = body.get("provider");
        if (app == null) top.error("app", FieldReader.REQUIRED);
        else if (!app.isObject()) top.error("app", "Invalid data. Expected a dictionary, but got " + Json.pythonType(app) + ".");
        if (provider == null) top.error("provider", FieldReader.REQUIRED);
        else if (!provider.isObject()) top.error("provider", "Expected a dictionary of items but got type \"" + Json.pythonType(provider) + "\".");
        JsonNode bindings = body.get("policy_bindings");
        if (bindings != null && !(bindings.isArray() && bindings.isEmpty())) {
            top.error("policy_bindings", "the fake authentik supports only an empty policy_bindings list");
        }
        top.throwIfErrors();

        boolean oauth2 = top.values.get("provider_model").asText().equals(Choices.PROVIDER_MODEL_OAUTH2);
        ObjectNode providerInput = (ObjectNode) provider;
        String providerName = providerInput.path("name").asText(null);
        if (providerName != null && state.providerNameTaken(providerName, null)) {
            throw nested("provider", Json.object().set("name", Json.array().add(MUST_CREATED)));
        }
        FieldReader providerFields = oauth2 ? ProviderFields.oauth2(providerInput, state, true, null)
                : ProviderFields.saml(providerInput, state, true, null, null);
        if (providerFields.hasErrors()) {
            throw nested("provider", providerFields.errors);
        }
        String slug = app.path("slug").asText(null);
        if (slug != null && state.applicationBySlug(slug).isPresent()) {
            throw nested("app", Json.object().set("slug", Json.array().add(MUST_CREATED)));
        }
        FieldReader appFields = ApplicationEndpoints.fields((ObjectNode) app, state, true, null, false);
        if (appFields.hasErrors()) {
            throw nested("app", appFields.errors);
        }

        ObjectNode storedProvider = providerFields.values;
        int providerPk = state.allocateProviderPk();
        storedProvider.put("pk", providerPk);
        if (oauth2) {
            ProviderFields.oauth2CreateDefaults(storedProvider);
            state.oauth2Providers.put(providerPk, storedProvider);
        } else {
            state.samlProviders.put(providerPk, storedProvider);
        }
        ObjectNode storedApp = appFields.values;
        storedApp.put("pk", UUID.randomUUID().toString());
        storedApp.put("provider", providerPk);
        state.applications.put(storedApp.get("pk").asText(), storedApp);
        return ApiResponse.ok(Json.object().put("applied", true).set("logs", Json.array()));
    }

    private static ApiException nested(String part, JsonNode errors) {
        return ApiException.badRequest(Json.object().set(part, errors));
    }
}
