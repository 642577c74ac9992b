package dev.chatgptsso.provisioner.integration;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** create → finalise against both API generations, asserting what authentik ends up holding. */
@QuarkusTest
class OidcProvisioningTests extends ApiTestSupport {
    @jakarta.inject.Inject
    dev.chatgptsso.provisioner.instance.InstanceCatalog catalog;

    private static final String LOGIN_REDIRECT = "https://auth.openai.com/sso/oidc/callback/conn_01HXYZ";

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void createThenFinaliseLeavesExactlyTheRecipeInAuthentik(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("oidc", fake);
        String tenant = ids[0];

        JsonPath created = createIntegration(tenant, oidcRequest(ids[1], "chatgpt"))
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/tenants/" + tenant + "/integrations/[0-9a-f-]{36}$"))
                .body("status", equalTo("awaiting_finalise"))
                .body("protocol", equalTo("oidc"))
                .body("tenantId", equalTo(tenant))
                .body("instanceId", equalTo(ids[1]))
                .body("application.slug", equalTo("chatgpt"))
                .body("authentik.version", equalTo(version))
                .body("oidc.clientId", matchesPattern("^[A-Za-z0-9]{40}$"))
                .body("oidc.clientSecret", matchesPattern("^[A-Za-z0-9]{128}$"))
                .body("oidc.redirectUris", contains(ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI))
                .body("oidc.issuer", equalTo(fake.baseUrl() + "/application/o/chatgpt/"))
                .body("oidc.discoveryEndpoint", equalTo(fake.baseUrl() + "/application/o/chatgpt/.well-known/openid-configuration"))
                .body("nextSteps", hasSize(4))
                .extract().jsonPath();
        String integrationId = created.getString("id");

        ObjectNode app = fake.application("chatgpt").orElseThrow();
        assertEquals("ChatGPT", app.get("name").asText());
        assertEquals("AI", app.get("group").asText());
        assertEquals(created.getString("authentik.applicationPk"), app.get("pk").asText());
        int providerPk = app.get("provider").asInt();
        assertEquals(created.getInt("authentik.providerPk"), providerPk);

        ObjectNode provider = fake.oauth2Provider(providerPk).orElseThrow();
        assertEquals("confidential", provider.get("client_type").asText());
        assertEquals(created.getString("oidc.clientId"), provider.get("client_id").asText());
        assertEquals(created.getString("oidc.clientSecret"), provider.get("client_secret").asText());
        assertEquals("per_provider", provider.get("issuer_mode").asText());
        assertTrue(provider.get("include_claims_in_id_token").asBoolean());
        assertEquals(keyPk(fake, "authentik Self-signed Certificate"), provider.get("signing_key").asText());
        assertEquals(flowPk(fake, "default-provider-authorization-implicit-consent"), provider.get("authorization_flow").asText());
        assertEquals(flowPk(fake, "default-provider-invalidation-flow"), provider.get("invalidation_flow").asText());

        List<String> mappings = texts(provider.get("property_mappings"));
        assertEquals(3, mappings.size());
        assertTrue(mappings.contains(managedPk(fake, ChatGptOidcRecipe.MANAGED_OPENID)));
        assertTrue(mappings.contains(managedPk(fake, ChatGptOidcRecipe.MANAGED_EMAIL)));
        assertFalse(mappings.contains(managedPk(fake, ChatGptOidcRecipe.MANAGED_PROFILE)), "the managed profile mapping must not be attached");
        ObjectNode profile = fake.scopeMapping(mappings.get(2)).orElseThrow();
        assertEquals("profile", profile.get("scope_name").asText());
        assertTrue(profile.get("expression").asText().contains("family_name"));
        assertEquals(created.getList("authentik.propertyMappingPks"), mappings);

        JsonNode redirects = provider.get("redirect_uris");
        assertEquals(1, redirects.size());
        assertEquals("strict", redirects.get(0).get("matching_mode").asText());
        assertEquals(ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI, redirects.get(0).get("url").asText());
        if (version.equals(Fakes.CURRENT)) {
            assertEquals("authorization", redirects.get(0).get("redirect_uri_type").asText());
            assertEquals(List.of("authorization_code"), texts(provider.get("grant_types")));
        } else {
            assertFalse(redirects.get(0).has("redirect_uri_type"));
            assertFalse(provider.has("grant_types"));
        }

        finalise(tenant, integrationId, LOGIN_REDIRECT).then().statusCode(200)
                .body("status", equalTo("active"))
                .body("oidc.redirectUris", contains(LOGIN_REDIRECT))
                .body("oidc.clientSecret", nullValue());

        JsonNode finalRedirects = fake.oauth2Provider(providerPk).orElseThrow().get("redirect_uris");
        assertEquals(1, finalRedirects.size(), "the temporary URI must be replaced, not kept");
        assertEquals(LOGIN_REDIRECT, finalRedirects.get(0).get("url").asText());
        assertEquals("strict", finalRedirects.get(0).get("matching_mode").asText());
        if (version.equals(Fakes.CURRENT)) {
            assertEquals("authorization", finalRedirects.get(0).get("redirect_uri_type").asText());
        }

        admin().get("/api/v1/tenants/{t}/integrations/{id}", tenant, integrationId).then().statusCode(200)
                .body("status", equalTo("active"))
                .body("oidc.clientSecret", nullValue())
                .body("oidc.clientId", equalTo(created.getString("oidc.clientId")));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void finaliseIsIdempotentForTheSameUriAndConflictsForAnother(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("fin", fake);
        String integrationId = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        finalise(ids[0], integrationId, LOGIN_REDIRECT).then().statusCode(200);
        fake.clearRequests();

        finalise(ids[0], integrationId, LOGIN_REDIRECT).then().statusCode(200).body("status", equalTo("active"));
        assertEquals(0, fake.count("PATCH", ".*"), "a repeated finalise with the same URI must not write");

        finalise(ids[0], integrationId, "https://auth.openai.com/sso/oidc/callback/other").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/integration-state-conflict"));
        assertEquals(0, fake.count("PATCH", ".*"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://auth.openai.com/cb", "https://auth.openai.com/cb#frag", "https://*.openai.com/cb",
            "https://auth.openai.com/cb.*", "https://auth\\.openai\\.com/cb", "/relative/cb", "not a uri", "https://temp.temp",
            "https://auth.openai.com/(cb|x)", "https://user:pw@auth.openai.com/cb", ""})
    void finaliseRefusesAnythingButOneExactHttpsUri(String badUri) {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("bad", fake);
        String integrationId = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        fake.clearRequests();

        finalise(ids[0], integrationId, badUri).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors[0].field", equalTo("loginRedirectUri"));
        assertEquals(0, fake.requests().size(), "a refused finalise must not call authentik");
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], integrationId).then().body("status", equalTo("awaiting_finalise"));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void integrationsOnOneInstanceShareOneProfileMapping(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("shared", fake);
        String first = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-a")).then().statusCode(201)
                .extract().path("authentik.propertyMappingPks[2]");
        String second = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-b")).then().statusCode(201)
                .extract().path("authentik.propertyMappingPks[2]");
        assertEquals(first, second);
        assertEquals(1, customMappings(fake).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void anEditedProfileMappingIsPutBackWhenTheCatalogIsRefreshed(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("edited", fake);
        String mappingPk = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-a")).then().statusCode(201)
                .extract().path("authentik.propertyMappingPks[2]");
        fake.patchScopeMapping(mappingPk, Map.of("expression", "return {}"));
        // what the catalog's TTL does on its own (quarkus.cache.caffeine."authentik-catalog".expire-after-write)
        catalog.invalidate(java.util.UUID.fromString(ids[1]));

        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-b")).then().statusCode(201)
                .body("authentik.propertyMappingPks[2]", equalTo(mappingPk));
        assertEquals(ChatGptOidcRecipe.PROFILE_MAPPING_EXPRESSION, fake.scopeMapping(mappingPk).orElseThrow().get("expression").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void aDeletedProfileMappingIsMadeAgainAndRecorded(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("gone", fake);
        String mappingPk = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-a")).then().statusCode(201)
                .extract().path("authentik.propertyMappingPks[2]");
        fake.deleteScopeMapping(mappingPk);

        String replacement = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-b")).then().statusCode(201)
                .extract().path("authentik.propertyMappingPks[2]");
        assertFalse(replacement.equals(mappingPk));
        assertEquals(1, customMappings(fake).size());
    }

    /** A create that fails after looking up again records the pks of the second lookup, not the ones authentik refused. */
    @Test
    void aFailureAfterLookingUpAgainRecordsTheNewPks() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("gone-fail", fake);
        String mappingPk = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-a")).then().statusCode(201)
                .extract().path("authentik.propertyMappingPks[2]");
        fake.deleteScopeMapping(mappingPk);
        // the first PUT is refused for the deleted mapping; the one after looking up again fails
        fake.injectFault("PUT", "/api/v3/core/transactional/applications/", 2, FakeAuthentik.Fault.status(400,
                "{\"app\": {\"name\": [\"refused by the test\"]}}"));

        String failedId = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-b")).then().statusCode(502)
                .body("type", equalTo("/problems/authentik-rejected")).extract().path("integrationId");
        String recorded = admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], failedId).then()
                .body("status", equalTo("failed")).extract().path("authentik.propertyMappingPks[2]");
        assertEquals(customMappings(fake).get(0).get("pk").asText(), recorded);
        assertFalse(mappingPk.equals(recorded));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void aVersionChangeBehindTheCacheIsNoticedAndRepaired(String version) {
        FakeAuthentik fake = Fakes.of(Fakes.LEGACY);
        String[] ids = tenantWithInstance("upgrade", fake);
        // upgraded behind the service's back: the cached version is stale, the read-back notices (response shape)
        fake.setVersion(version);

        int providerPk = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201)
                .body("authentik.version", equalTo(version))
                .extract().path("authentik.providerPk");
        ObjectNode provider = fake.oauth2Provider(providerPk).orElseThrow();
        assertEquals(version.equals(Fakes.CURRENT), provider.has("grant_types") && provider.get("grant_types").size() == 1);
        admin().get("/api/v1/tenants/{t}/instances/{id}", ids[0], ids[1]).then().body("version", equalTo(version));
        fake.setVersion(Fakes.LEGACY);
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void listFiltersByStatusAndPages(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("list", fake);
        List<String> created = new ArrayList<>();
        for (String slug : List.of("a-chatgpt", "b-chatgpt", "c-chatgpt")) {
            created.add(createIntegration(ids[0], oidcRequest(ids[1], slug)).then().statusCode(201).extract().path("id"));
        }
        finalise(ids[0], created.get(1), LOGIN_REDIRECT).then().statusCode(200);

        admin().get("/api/v1/tenants/{t}/integrations?size=2&page=1", ids[0]).then().statusCode(200)
                .body("total", equalTo(3)).body("page", equalTo(1)).body("size", equalTo(2))
                .body("items", hasSize(2)).body("items[0].id", equalTo(created.get(0)))
                .body("items[0].oidc.clientSecret", nullValue());
        admin().get("/api/v1/tenants/{t}/integrations?size=2&page=2", ids[0]).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(created.get(2)));
        admin().get("/api/v1/tenants/{t}/integrations?status=active", ids[0]).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(created.get(1)));
        admin().get("/api/v1/tenants/{t}/integrations?status=awaiting_finalise", ids[0]).then().statusCode(200)
                .body("total", equalTo(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void stepLogRecordsEveryAuthentikCallWithoutSecrets(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("steps", fake);
        fake.clearRequests();
        JsonPath created = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().jsonPath();
        List<Object[]> rows = Arc.container().instance(Database.class).get()
                .query("select step, outcome, http_method, http_path, http_status, coalesce(detail, '') from integration_step "
                        + "where integration_id = cast(? as uuid) order by id",
                        row -> new Object[] {row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                                Database.integer(row, "http_status"), row.getString(6)},
                        created.getString("id"));
        long authentikCalls = rows.stream().filter(r -> r[2] != null).count();
        assertEquals(fake.requests().size(), authentikCalls, "every authentik call of the workflow is in the step log");
        assertTrue(rows.stream().anyMatch(r -> "create-application-and-provider".equals(r[0]) && "PUT".equals(r[2])));
        assertTrue(rows.stream().anyMatch(r -> "state".equals(r[1]) && "awaiting_finalise".equals(r[5])));
        String all = rows.stream().map(java.util.Arrays::toString).reduce("", String::concat);
        assertFalse(all.contains(created.getString("oidc.clientSecret")));
        assertFalse(all.contains(FakeAuthentik.ADMIN_TOKEN));
    }

    /**
     * Registration notes the owned profile mapping as not made yet (its name carries the instance's new id). Another
     * replica's first create may still make it first; this one's POST is then refused for the name, and the mapping
     * that exists is used, not a second one made.
     */
    @Test
    void anOwnedMappingAnotherReplicaMadeMeanwhileIsUsedAndNotMadeTwice() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("owned-meanwhile", fake);
        String madeElsewhere = io.restassured.RestAssured.given().header("Authorization", "Bearer " + FakeAuthentik.ADMIN_TOKEN)
                .contentType("application/json")
                .body(Map.of("name", ChatGptOidcRecipe.profileMappingName(java.util.UUID.fromString(ids[1])), "scope_name", "profile",
                        "expression", ChatGptOidcRecipe.PROFILE_MAPPING_EXPRESSION, "description", ChatGptOidcRecipe.PROFILE_MAPPING_DESCRIPTION))
                .post(fake.baseUrl() + "/api/v3/propertymappings/provider/scope/").then().statusCode(201).extract().path("pk");

        JsonPath created = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().jsonPath();

        assertEquals(List.of(madeElsewhere), customMappings(fake).stream().map(m -> m.get("pk").asText()).toList(),
                "one owned mapping: the one made meanwhile");
        JsonNode provider = fake.oauth2Provider(created.getInt("authentik.providerPk")).orElseThrow();
        assertTrue(texts(provider.get("property_mappings")).contains(madeElsewhere), "the provider uses it");
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    static String managedPk(FakeAuthentik fake, String managed) {
        return fake.scopeMappings().stream().filter(m -> managed.equals(m.path("managed").asText())).findFirst().orElseThrow()
                .get("pk").asText();
    }

    static List<ObjectNode> customMappings(FakeAuthentik fake) {
        return fake.scopeMappings().stream().filter(m -> m.path("managed").isNull() || m.path("managed").asText().isEmpty()).toList();
    }

    static String flowPk(FakeAuthentik fake, String slug) {
        return fake.flows().stream().filter(f -> slug.equals(f.get("slug").asText())).findFirst().orElseThrow().get("pk").asText();
    }

    static String keyPk(FakeAuthentik fake, String name) {
        return fake.certificateKeyPairs().stream().filter(k -> name.equals(k.get("name").asText())).findFirst().orElseThrow()
                .get("pk").asText();
    }

    static void assertNotNull(Object value) {
        org.hamcrest.MatcherAssert.assertThat(value, notNullValue());
    }
}
