package dev.chatgptsso.provisioner.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Property-based hostile input: hand-rolled generators (fixed seed, printed; override with
 * {@code -Dhostile.seed=N} and the size with {@code -Dhostile.requests=N}) send malformed JSON, huge strings,
 * control characters, wrong types, injection strings, bad headers, wrong methods and content types, and
 * other tenants' ids at every endpoint. Every answer must be below 500, problem+json unless 2xx, with a
 * {@code /problems/} type for 4xx; no secret may come back and nothing may be created in authentik.
 *
 * <p>Success is made impossible by construction: every request that could write carries at least one
 * guaranteed defect (a poisoned body or header, an id that cannot exist, another tenant's key, a bad key,
 * a wrong method or content type). Only reads (GET) and the admin re-encryption may answer 2xx; those are
 * counted separately.
 */
@QuarkusTest
class HostileInputTests extends ApiTestSupport {
    private static final long SEED = Long.getLong("hostile.seed", 20260517L);
    private static final int REQUESTS = Integer.getInteger("hostile.requests", 480);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final RestAssuredConfig RAW = RestAssured.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private static final String[] INJECTIONS = {
            "' or 1=1--", "\"; drop table tenant; --", "${jndi:ldap://127.0.0.1:1/a}", "#{7*7}", "{{7*7}}", "<script>alert(1)</script>",
            "../../../../etc/passwd", "%00", "\u0000", "\r\nX-Injected: 1", "$(id)", "`id`", "__proto__", "{\"$gt\":\"\"}",
            "\u202e\u0645\u0631\u062d\u0628\u0627", "\ud83d\ude00\ud83d\ude00", "\uffff", "\\u0000", "null", "true", "-1", "1e309",
            "NaN", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "javascript:alert(1)", " ", "\t", ""};

    /** The fixture a request may aim at: a victim tenant with a real instance and integration. */
    private record Fixture(String victim, String instanceId, String integrationId, String clientSecret, String acmeOther) {}

    /** One generated request; {@code maySucceed} marks the reads (and re-encrypt) that may legitimately answer 2xx. */
    private record Hostile(String endpoint, String method, String path, Map<String, String> headers, byte[] body, String contentType,
            boolean maySucceed, String why) {}

    private Random random;
    private Fixture fixture;
    private Set<String> secrets;

    @Test
    void hostileRequestsNeverBreakTheServiceLeakNothingAndCreateNothing() throws Exception {
        System.out.println("[hostile input] seed " + SEED + " (reproduce with -Dhostile.seed=" + SEED + ")");
        random = new Random(SEED);
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        fixture = fixture(fake);
        secrets = new LinkedHashSet<>(List.of(ADMIN_KEY, ACME_KEY, GLOBEX_KEY, FakeAuthentik.ADMIN_TOKEN, FakeAuthentik.LIMITED_TOKEN,
                fixture.clientSecret()));
        secrets.addAll(FakeAuthentik.clientSecretsSeen());
        int objectsBefore = fake.objectCount();
        int applicationsBefore = fake.applications().size();
        int providersBefore = fake.oauth2Providers().size();
        fake.clearRequests();

        List<Function<Random, Hostile>> generators = generators();
        Map<String, Integer> perEndpoint = new TreeMap<>();
        Map<Integer, Integer> perStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int successes = 0;
        int serverErrors = 0;
        for (int n = 0; n < REQUESTS; n++) {
            Hostile request = generators.get(n % generators.size()).apply(random);
            Response response = send(request);
            int status = response.statusCode();
            String contentType = response.contentType() == null ? "" : response.contentType();
            String body = response.asString();
            perEndpoint.merge(request.endpoint(), 1, Integer::sum);
            perStatus.merge(status, 1, Integer::sum);
            String where = "#" + n + " " + request.method() + " " + abbreviate(request.path()) + " (" + request.why() + ") -> " + status;
            if (status >= 500) {
                serverErrors++;
                failures.add(where + ": server error " + abbreviate(body));
            }
            if (status >= 200 && status < 300) {
                successes++;
                if (!request.maySucceed()) {
                    failures.add(where + ": a request built to fail succeeded: " + abbreviate(body));
                }
            } else {
                if (!contentType.startsWith("application/problem+json")) {
                    failures.add(where + ": content type '" + contentType + "' body " + abbreviate(body));
                } else if (status >= 400 && status < 500) {
                    String type = JSON.readTree(body).path("type").asText("");
                    if (!type.startsWith("/problems/")) {
                        failures.add(where + ": problem type '" + type + "'");
                    }
                }
            }
            for (String secret : secrets) {
                if (body.contains(secret) || response.headers().toString().contains(secret)) {
                    failures.add(where + ": answer contains a secret (" + secret.substring(0, 6) + "…)");
                }
            }
        }
        assertTrue(FakeAuthentik.clientSecretsSeen().contains(fixture.clientSecret()), "the fake registers the secrets it stores");
        System.out.println("[hostile input] " + REQUESTS + " requests, " + perEndpoint.size() + " distinct endpoints, " + serverErrors
                + " server errors; " + successes + " reads answered 2xx; statuses " + perStatus);
        System.out.println("[hostile input] per endpoint " + perEndpoint);
        if (!failures.isEmpty()) {
            fail(failures.size() + " hostile requests misbehaved (seed " + SEED + "):\n" + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        }
        assertTrue(REQUESTS < 400 || perEndpoint.size() >= 18, "every endpoint was tried: " + perEndpoint.keySet());
        assertEquals(objectsBefore, fake.objectCount(), "nothing may be created in authentik");
        assertEquals(applicationsBefore, fake.applications().size());
        assertEquals(providersBefore, fake.oauth2Providers().size());
        assertEquals(List.of(), fake.requests().stream().filter(r -> !r.method().equals("GET")).map(r -> r.method() + " " + r.path()).toList(),
                "no hostile request may make the service write to authentik");
        // the victim's integration is untouched
        admin().get("/api/v1/tenants/{t}/integrations/{id}", fixture.victim(), fixture.integrationId()).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("awaiting_finalise"));
        admin().get("/api/v1/tenants/{t}/integrations/{id}/credentials", fixture.victim(), fixture.integrationId()).then().statusCode(200)
                .body("clientSecret", org.hamcrest.Matchers.equalTo(fixture.clientSecret()));
    }

    /** A refused Idempotency-Key names the header, not the Java parameter. (Control characters never reach the service.) */
    @Test
    void idempotencyKeysOutsidePrintableAsciiAreRefusedNamingTheHeader() {
        String tenant = createTenant(uniqueTenantId("idem-key"));
        String id = UUID.randomUUID().toString();
        for (String key : new String[] {"a b", "caf\u00e9", "k".repeat(201)}) {
            admin().header("Idempotency-Key", key).delete("/api/v1/tenants/{t}/integrations/{id}", tenant, id).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("Idempotency-Key"));
            admin().header("Idempotency-Key", key).post("/api/v1/tenants/{t}/integrations/{id}/rotate-secret", tenant, id).then().statusCode(400)
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("Idempotency-Key"));
        }
    }

    @Test
    void unknownFieldsAreRefusedNamingThemWithoutEchoingTheParser() {
        admin().body("{\"id\":\"unknown-field\",\"displayName\":\"x\",\"isAdmin\":\"" + FakeAuthentik.ADMIN_TOKEN + "\"}")
                .post("/api/v1/tenants").then().statusCode(400).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/validation"))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("isAdmin"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(FakeAuthentik.ADMIN_TOKEN)))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Unrecognized")));
        String tenant = createTenant(uniqueTenantId("unknown"));
        admin().body("{\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\",\"colour\":1}}")
                .post("/api/v1/tenants/{t}/integrations", tenant).then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("application.colour"));
        admin().body("{\"id\":\"unknown-field\",\"displayName\":\"x\"}{}").post("/api/v1/tenants").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.equalTo("/problems/malformed-json"));
        admin().get("/api/v1/tenants/unknown-field").then().statusCode(404);
    }

    @Test
    void oversizedBodiesAndFarPagesAreProblemsNotCrashes() {
        String huge = "{\"id\":\"huge\",\"displayName\":\"" + "a".repeat(70 * 1024) + "\"}";
        admin().body(huge).post("/api/v1/tenants").then().statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/payload-too-large"));
        String[] ids = tenantWithInstance("far", Fakes.of(Fakes.CURRENT));
        String id = createPatiently(ids[0], ids[1], "far-chatgpt").path("id");
        admin().get("/api/v1/tenants/{t}/integrations/{id}/events?page=3000000&size=1000", ids[0], id).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        admin().get("/api/v1/tenants/{t}/integrations?page=9999999&size=100", ids[0]).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    /** Fixtures are not under test: on a busy machine the 1 s test read timeout can trip (504), so try again. */
    private static Response createPatiently(String tenant, String instanceId, String slug) {
        Response created = createIntegration(tenant, oidcRequest(instanceId, slug));
        for (int attempt = 2; attempt <= 3 && created.statusCode() >= 500; attempt++) {
            created = createIntegration(tenant, oidcRequest(instanceId, slug + "-" + attempt));
        }
        created.then().statusCode(201);
        return created;
    }

    private Fixture fixture(FakeAuthentik fake) {
        for (String tenant : new String[] {"acme", "globex"}) {
            if (admin().get("/api/v1/tenants/{t}", tenant).statusCode() == 404) {
                createTenant(tenant);
            }
        }
        String[] victim = tenantWithInstance("victim", fake);
        Response created = createPatiently(victim[0], victim[1], "victim-chatgpt");
        String[] other = tenantWithInstance("other", fake);
        return new Fixture(victim[0], victim[1], created.path("id"), created.path("oidc.clientSecret"), other[0]);
    }

    // ------------------------------------------------------------------ sending

    private static Response send(Hostile request) {
        RequestSpecification spec = given().config(RAW).urlEncodingEnabled(false);
        request.headers().forEach(spec::header);
        if (request.contentType() != null) {
            spec.contentType(request.contentType());
        }
        if (request.body() != null && request.contentType() != null && request.contentType().contains("form-urlencoded")) {
            spec.body(new String(request.body(), StandardCharsets.UTF_8)); // REST Assured encodes forms only from text
        } else if (request.body() != null) {
            spec.body(request.body());
        }
        return spec.request(request.method(), request.path());
    }

    // ------------------------------------------------------------------ generators

    private enum Who { ADMIN, FOREIGN, BAD_KEY }

    private List<Function<Random, Hostile>> generators() {
        List<Function<Random, Hostile>> all = new ArrayList<>();
        all.add(r -> tenantCreate(r));
        all.add(r -> read(r, "GET /tenants", who -> "/api/v1/tenants" + junkQuery(r)));
        all.add(r -> read(r, "GET /tenants/{t}", who -> "/api/v1/tenants/" + tenantPath(r, who)));
        all.add(r -> instanceRegister(r));
        all.add(r -> read(r, "GET /instances", who -> "/api/v1/tenants/" + tenantPath(r, who) + "/instances" + junkQuery(r)));
        all.add(r -> instanceRead(r, ""));
        all.add(r -> instanceRead(r, "/health"));
        all.add(r -> integrationCreate(r));
        all.add(r -> adopt(r));
        all.add(r -> finalise(r));
        all.add(r -> integrationRead(r, "GET /integrations/{id}", ""));
        all.add(r -> integrationList(r));
        all.add(r -> credentials(r));
        all.add(r -> headerOnlyWrite(r, "POST", "POST /integrations/{id}/rotate-secret", "/rotate-secret"));
        all.add(r -> verify(r));
        all.add(r -> headerOnlyWrite(r, "DELETE", "DELETE /integrations/{id}", ""));
        all.add(r -> events(r));
        all.add(r -> reencrypt(r));
        all.add(r -> protocolAbuse(r));
        all.add(r -> unknownPath(r));
        return all;
    }

    private Who who(Random r) {
        int roll = r.nextInt(10);
        return roll < 4 ? Who.ADMIN : roll < 8 ? Who.FOREIGN : Who.BAD_KEY;
    }

    private Map<String, String> auth(Random r, Who who) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", r.nextInt(5) == 0 ? pick(r, "*/*", "application/xml", "text/html", "application/problem+json") : "application/json");
        switch (who) {
            case ADMIN -> headers.put("Authorization", "Bearer " + ADMIN_KEY);
            case FOREIGN -> headers.put("Authorization", "Bearer " + (r.nextBoolean() ? ACME_KEY : GLOBEX_KEY));
            case BAD_KEY -> {
                String header = pick(r, "Bearer", "Bearer ", "Basic dGVzdC1hZG1pbi1rZXk6", ADMIN_KEY, "Bearer " + ADMIN_KEY + "x",
                        "Bearer " + FakeAuthentik.ADMIN_TOKEN, "Bearer ' or 1=1--", "Bearer " + "k".repeat(5000), "bearer\ttest",
                        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", "Bearer test-admin-key test-admin-key", null);
                if (header != null) {
                    headers.put("Authorization", header);
                }
            }
        }
        return headers;
    }

    /** The tenant segment: the victim (foreign keys see it as absent), or an id that cannot exist or is malformed. */
    private String tenantPath(Random r, Who who) {
        if (who == Who.FOREIGN || who == Who.BAD_KEY) {
            // never a key's own tenant (acme, globex): a foreign key must be refused by the tenant, whatever the body
            return pick(r, fixture.victim(), fixture.acmeOther(), "ACME", "acme%2Fglobex", "%2e%2e", "Globex");
        }
        return encode(pick(r, "no-such-tenant-" + r.nextInt(1000), "' or 1=1--", "x".repeat(300), "..", "tenant\u0000", "\u202eacme",
                "%25", "ACME", "a", "-" + fixture.victim()));
    }

    /** An id segment that names nothing for the admin key (malformed, unknown, or another tenant's under the wrong tenant). */
    private String deadId(Random r) {
        return encode(pick(r, "not-a-uuid", UUID.randomUUID().toString(), "00000000-0000-0000-0000-000000000000", "' or 1=1--",
                UUID.randomUUID().toString().toUpperCase(), "1", "-1", "9".repeat(40), "x".repeat(1000), "..", "%00", "null",
                "{" + UUID.randomUUID() + "}", UUID.randomUUID() + "\n", "\u0000", "\ud83d\ude00"));
    }

    private Hostile tenantCreate(Random r) {
        Who who = who(r);
        ObjectNode body = NODES.objectNode().put("id", "hostile-" + r.nextInt(1_000_000)).put("displayName", hostileString(r));
        Poisoned poisoned = who == Who.ADMIN ? poison(r, body, Map.of("id", 63, "displayName", 200), Set.of("id", "displayName"),
                Set.of("displayName"), Set.of()) : maybePoison(r, body, Map.of("id", 63, "displayName", 200));
        return new Hostile("POST /tenants", "POST", "/api/v1/tenants", auth(r, who), poisoned.bytes(), jsonType(r, who), false,
                who + " " + poisoned.why());
    }

    private Hostile instanceRegister(Random r) {
        Who who = who(r);
        ObjectNode body = NODES.objectNode().put("name", "hostile " + r.nextInt(1000)).put("baseUrl", pick(r, Fakes.of(Fakes.CURRENT).baseUrl(),
                "http://169.254.169.254", "http://127.0.0.1:1", "file:///etc/passwd", "gopher://x", hostileString(r)))
                .put("apiToken", pick(r, FakeAuthentik.ADMIN_TOKEN, FakeAuthentik.LIMITED_TOKEN, hostileString(r)))
                .put("verifyTls", r.nextBoolean());
        if (r.nextBoolean()) {
            body.put("caBundlePem", "-----BEGIN CERTIFICATE-----\n" + hostileString(r) + "\n-----END CERTIFICATE-----");
        }
        String tenant = who == Who.ADMIN ? pick(r, fixture.victim(), "acme") : tenantPath(r, who);
        Poisoned poisoned = who == Who.ADMIN
                ? poison(r, body, Map.of("name", 100, "baseUrl", 2000, "apiToken", 1000, "caBundlePem", 32000), Set.of("name", "baseUrl", "apiToken"),
                        Set.of("name", "apiToken"), Set.of("verifyTls"))
                : maybePoison(r, body, Map.of("name", 100, "baseUrl", 2000, "apiToken", 1000));
        return new Hostile("POST /instances", "POST", "/api/v1/tenants/" + tenant + "/instances", auth(r, who), poisoned.bytes(),
                jsonType(r, who), false, who + " " + poisoned.why());
    }

    private Hostile read(Random r, String endpoint, Function<Who, String> path) {
        Who who = who(r);
        return new Hostile(endpoint, "GET", path.apply(who), auth(r, who), null, null, true, who.toString());
    }

    private Hostile instanceRead(Random r, String suffix) {
        Who who = who(r);
        String path = who == Who.ADMIN
                ? "/api/v1/tenants/" + pick(r, fixture.victim(), fixture.acmeOther(), tenantPath(r, who)) + "/instances/"
                        + (r.nextInt(3) == 0 ? fixture.instanceId() : deadId(r))
                : "/api/v1/tenants/" + pick(r, fixture.victim(), tenantPath(r, who)) + "/instances/"
                        + pick(r, fixture.instanceId(), fixture.instanceId().toUpperCase(), deadId(r));
        return new Hostile("GET /instances/{i}" + suffix, "GET", path + suffix + junkQuery(r), auth(r, who), null, null, true, who.toString());
    }

    private Hostile integrationCreate(Random r) {
        Who who = who(r);
        ObjectNode body = NODES.objectNode();
        body.put("instanceId", fixture.instanceId());
        body.put("protocol", pick(r, "oidc", "saml"));
        ObjectNode app = body.putObject("application");
        app.put("name", hostileString(r)).put("slug", "hostile-" + r.nextInt(100000)).put("group", hostileString(r))
                .put("policyEngineMode", pick(r, "any", "all"));
        if (r.nextBoolean()) {
            body.put("authorizationFlowSlug", pick(r, "default-provider-authorization-implicit-consent", hostileString(r)));
        }
        Map<String, String> headers = auth(r, who);
        boolean headerPoisoned = false;
        if (r.nextInt(3) == 0) {
            String key = idempotencyKey(r);
            headers.put("Idempotency-Key", key);
            headerPoisoned = who == Who.ADMIN;
        }
        String tenant = who == Who.ADMIN ? pick(r, fixture.victim(), "acme") : pick(r, fixture.victim(), tenantPath(r, who));
        Poisoned poisoned;
        if (who == Who.ADMIN && !headerPoisoned) {
            poisoned = poisonCreate(r, body);
        } else {
            poisoned = maybePoison(r, body, Map.of("protocol", 4));
        }
        return new Hostile("POST /integrations", "POST", "/api/v1/tenants/" + tenant + "/integrations", headers, poisoned.bytes(),
                jsonType(r, who), false, who + (headerPoisoned ? " bad Idempotency-Key" : "") + " " + poisoned.why());
    }

    private Poisoned poisonCreate(Random r, ObjectNode body) {
        ObjectNode app = (ObjectNode) body.get("application");
        switch (r.nextInt(9)) {
            case 0 -> app.put("slug", pick(r, "chat gpt", "x".repeat(51), "token", "Authorize", "", "' or 1=1--", "../x", "slug\u0000"));
            case 1 -> app.put("name", pick(r, "", "  ", "n".repeat(201 + r.nextInt(70000)), "Chat\u0000GPT", "a\nb", "\u001b[31m"));
            case 2 -> body.put("protocol", pick(r, "ldap", "OIDC", "", "oidc\u0000", "saml2", "x".repeat(1000)));
            case 3 -> body.put("instanceId", pick(r, "not-a-uuid", "", "' or 1=1--", FakeAuthentik.ADMIN_TOKEN, "1"));
            case 4 -> app.put("policyEngineMode", pick(r, "some", "ANY", "", "any\u0000", "x".repeat(5000)));
            case 5 -> body.put("authorizationFlowSlug", pick(r, "a b", "x".repeat(101), "../flow", "\u0000", ""));
            case 6 -> body.set("application", pick(r, NODES.textNode("ChatGPT"), NODES.arrayNode(), NODES.numberNode(42), NODES.nullNode()));
            case 7 -> app.put("group", pick(r, "g".repeat(201 + r.nextInt(1000)), "AI\u0007"));
            default -> {
                return poison(r, body, Map.of("protocol", 4), Set.of("application"), Set.of(), Set.of("signingKeyId", "instanceId"));
            }
        }
        return maybeMore(r, body, "create field");
    }

    private Hostile adopt(Random r) {
        Who who = who(r);
        ObjectNode body = NODES.objectNode().put("instanceId", fixture.instanceId()).put("applicationSlug", "victim-chatgpt");
        String tenant = who == Who.ADMIN ? pick(r, fixture.victim(), "acme") : pick(r, fixture.victim(), tenantPath(r, who));
        Poisoned poisoned = who == Who.ADMIN
                ? poison(r, body, Map.of("applicationSlug", 200), Set.of("applicationSlug"), Set.of("applicationSlug"), Set.of("instanceId"))
                : maybePoison(r, body, Map.of("applicationSlug", 200));
        return new Hostile("POST /integrations/adopt", "POST", "/api/v1/tenants/" + tenant + "/integrations/adopt", auth(r, who),
                poisoned.bytes(), jsonType(r, who), false, who + " " + poisoned.why());
    }

    private Hostile finalise(Random r) {
        Who who = who(r);
        ObjectNode body = NODES.objectNode().put("loginRedirectUri", pick(r, "https://auth.openai.com/sso/oidc/callback/conn_" + r.nextInt(1000),
                hostileString(r), "javascript:alert(1)", "https://temp.temp"));
        Map<String, String> headers = auth(r, who);
        String path;
        Poisoned poisoned;
        if (who == Who.ADMIN) {
            boolean realId = r.nextBoolean();
            path = "/api/v1/tenants/" + fixture.victim() + "/integrations/" + (realId ? fixture.integrationId() : deadId(r)) + "/finalise";
            if (realId && r.nextBoolean()) {
                headers.put("Idempotency-Key", idempotencyKey(r));
                poisoned = maybePoison(r, body, Map.of("loginRedirectUri", 2000));
            } else if (realId) {
                poisoned = poison(r, body, Map.of("loginRedirectUri", 2000, "acsUrl", 2000, "audience", 2000), Set.of(), Set.of(), Set.of());
            } else {
                poisoned = maybePoison(r, body, Map.of("loginRedirectUri", 2000));
            }
        } else {
            path = "/api/v1/tenants/" + pick(r, fixture.victim(), tenantPath(r, who)) + "/integrations/"
                    + pick(r, fixture.integrationId(), deadId(r)) + "/finalise";
            poisoned = maybePoison(r, body, Map.of("loginRedirectUri", 2000));
        }
        return new Hostile("POST /integrations/{id}/finalise", "POST", path, headers, poisoned.bytes(), jsonType(r, who), false,
                who + " " + poisoned.why());
    }

    private Hostile integrationRead(Random r, String endpoint, String suffix) {
        Who who = who(r);
        return new Hostile(endpoint, "GET", integrationPath(r, who, true) + suffix + junkQuery(r), auth(r, who), null, null, true, who.toString());
    }

    private Hostile integrationList(Random r) {
        Who who = who(r);
        String tenant = who == Who.ADMIN ? pick(r, fixture.victim(), "acme", tenantPath(r, who)) : pick(r, fixture.victim(), tenantPath(r, who));
        String query = "?" + pick(r, "status=", "status=bogus", "status=active", "status=" + encode("' or 1=1--"), "status=ACTIVE", "status=%00")
                + "&page=" + pick(r, "0", "-1", "1", "abc", "9999999", "99999999999999999999", "1.5", "%00", "", "1e3")
                + "&size=" + pick(r, "0", "101", "100", "1", "-5", "abc", "2147483648", "", "20&size=21");
        return new Hostile("GET /integrations", "GET", "/api/v1/tenants/" + tenant + "/integrations" + query, auth(r, who), null, null,
                true, who + " " + query);
    }

    /** Credentials answer the client secret: the admin key only ever asks for ids that name nothing. */
    private Hostile credentials(Random r) {
        Who who = who(r);
        String path = who == Who.ADMIN
                ? "/api/v1/tenants/" + pick(r, fixture.victim(), fixture.acmeOther(), "acme") + "/integrations/"
                        + (r.nextBoolean() ? deadId(r) : fixture.integrationId()) + "/credentials"
                : integrationPath(r, who, false) + "/credentials";
        if (who == Who.ADMIN && path.contains(fixture.victim() + "/integrations/" + fixture.integrationId())) {
            path = path.replace(fixture.victim() + "/", fixture.acmeOther() + "/");
        }
        return new Hostile("GET /integrations/{id}/credentials", "GET", path + junkQuery(r), auth(r, who), null, null, false, who.toString());
    }

    /** rotate-secret and delete: the admin key on the real id always carries a broken Idempotency-Key. */
    private Hostile headerOnlyWrite(Random r, String method, String endpoint, String suffix) {
        Who who = who(r);
        Map<String, String> headers = auth(r, who);
        String path;
        String why = "";
        if (who == Who.ADMIN) {
            boolean realId = r.nextBoolean();
            path = "/api/v1/tenants/" + fixture.victim() + "/integrations/" + (realId ? fixture.integrationId() : deadId(r)) + suffix;
            if (realId || r.nextBoolean()) {
                String key = idempotencyKey(r);
                headers.put("Idempotency-Key", key);
                why = "bad Idempotency-Key " + abbreviate(key.length() > 20 ? key.length() + " chars" : key);
            }
        } else {
            path = integrationPath(r, who, false) + suffix;
            if (r.nextBoolean()) {
                headers.put("Idempotency-Key", pick(r, "portal-1", idempotencyKey(r)));
            }
        }
        byte[] body = r.nextInt(4) == 0 ? hostileBodyBytes(r) : null;
        return new Hostile(endpoint, method, path, headers, body, body == null ? null : jsonType(r, who), false, who + " " + why);
    }

    private Hostile verify(Random r) {
        Who who = who(r);
        ObjectNode body = NODES.objectNode().put("previewUser", pick(r, "akadmin", "limited", hostileString(r)));
        String path;
        Poisoned poisoned;
        if (who == Who.ADMIN) {
            boolean realId = r.nextBoolean();
            path = "/api/v1/tenants/" + fixture.victim() + "/integrations/" + (realId ? fixture.integrationId() : deadId(r)) + "/verify";
            poisoned = realId ? poison(r, body, Map.of("previewUser", 150), Set.of(), Set.of("previewUser"), Set.of())
                    : maybePoison(r, body, Map.of("previewUser", 150));
        } else {
            path = integrationPath(r, who, false) + "/verify";
            poisoned = maybePoison(r, body, Map.of("previewUser", 150));
        }
        return new Hostile("POST /integrations/{id}/verify", "POST", path, auth(r, who), poisoned.bytes(), jsonType(r, who), false,
                who + " " + poisoned.why());
    }

    private Hostile events(Random r) {
        Who who = who(r);
        String query = "?page=" + pick(r, "0", "1", "9999999", "3000000", "2147484", "abc", "-1", "") + "&size=" + pick(r, "0", "1000", "1001", "100", "x", "");
        return new Hostile("GET /integrations/{id}/events", "GET", integrationPath(r, who, true) + "/events" + query, auth(r, who), null, null,
                true, who + " " + query);
    }

    private Hostile reencrypt(Random r) {
        Who who = who(r);
        byte[] body = r.nextBoolean() ? hostileBodyBytes(r) : null;
        // an admin key may re-encrypt (harmless, idempotent); anyone else is refused
        return new Hostile("POST /admin/tokens/re-encrypt", "POST", "/api/v1/admin/tokens/re-encrypt" + junkQuery(r), auth(r, who), body,
                body == null ? null : jsonType(r, who), who == Who.ADMIN, who.toString());
    }

    /** Wrong methods, wrong or missing content types, oversized and non-UTF-8 bodies on real paths with the admin key. */
    private Hostile protocolAbuse(Random r) {
        String[] writePaths = {"/api/v1/tenants", "/api/v1/tenants/" + fixture.victim() + "/instances",
                "/api/v1/tenants/" + fixture.victim() + "/integrations", "/api/v1/tenants/" + fixture.victim() + "/integrations/adopt",
                "/api/v1/tenants/" + fixture.victim() + "/integrations/" + fixture.integrationId() + "/finalise",
                "/api/v1/tenants/" + fixture.victim() + "/integrations/" + fixture.integrationId() + "/verify"};
        String[] allPaths = {"/api/v1/tenants", "/api/v1/tenants/" + fixture.victim(), "/api/v1/tenants/" + fixture.victim() + "/instances",
                "/api/v1/tenants/" + fixture.victim() + "/instances/" + fixture.instanceId(),
                "/api/v1/tenants/" + fixture.victim() + "/instances/" + fixture.instanceId() + "/health",
                "/api/v1/tenants/" + fixture.victim() + "/integrations",
                "/api/v1/tenants/" + fixture.victim() + "/integrations/" + fixture.integrationId(),
                "/api/v1/tenants/" + fixture.victim() + "/integrations/" + fixture.integrationId() + "/credentials",
                "/api/v1/tenants/" + fixture.victim() + "/integrations/" + fixture.integrationId() + "/events",
                "/api/v1/admin/tokens/re-encrypt"};
        Map<String, String> headers = auth(r, Who.ADMIN);
        switch (r.nextInt(5)) {
            case 0 -> {
                String path = pick(r, allPaths);
                String method = pick(r, "PUT", "PATCH", "OPTIONS", "TRACE");
                // OPTIONS is answered by JAX-RS itself with the allowed methods: a read
                return new Hostile("wrong method", method, path, headers, hostileBodyBytes(r), "application/json", method.equals("OPTIONS"),
                        "method " + method);
            }
            case 1 -> {
                String path = pick(r, writePaths);
                String type = pick(r, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                        "application/json-patch+json", "text/html; charset=utf-7", "application/octet-stream");
                return new Hostile("wrong content type", "POST", path, headers, validLooking(r).getBytes(StandardCharsets.UTF_8), type, false,
                        "content type " + type);
            }
            case 2 -> {
                String path = pick(r, writePaths);
                int size = 65 * 1024 + r.nextInt(200 * 1024);
                String huge = "{\"id\":\"" + "a".repeat(size) + "\",\"displayName\":\"" + FakeAuthentik.ADMIN_TOKEN + "\"}";
                return new Hostile("oversized body", "POST", path, headers, huge.getBytes(StandardCharsets.UTF_8), "application/json", false,
                        "body of " + huge.length() + " bytes");
            }
            case 3 -> {
                String path = pick(r, writePaths);
                byte[] bytes = new byte[1 + r.nextInt(64)];
                r.nextBytes(bytes);
                bytes[0] = (byte) 0xC3; // never valid UTF-8 JSON start
                return new Hostile("binary body", "POST", path, headers, bytes, "application/json", false, "binary body");
            }
            default -> {
                String path = pick(r, writePaths);
                // JSON that a lenient parser would accept: comments, single quotes, trailing commas, duplicate keys, deep nesting
                String body = pick(r, "{/*c*/\"id\":\"lenient-1\",\"displayName\":\"x\"}", "{'id':'lenient-2','displayName':'x'}",
                        "{\"id\":\"lenient-3\",\"displayName\":\"x\",}", "[".repeat(5000) + "]".repeat(5000),
                        "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "{\"id\":\"lenient-4\",\"displayName\":\"x\"} trailing",
                        "\ufeff{\"id\":\"lenient-5\",\"displayName\":NaN}", "{\"id\":\"lenient-6\" \"displayName\":\"x\"}");
                return new Hostile("lenient JSON", "POST", path, headers, body.getBytes(StandardCharsets.UTF_8), "application/json", false,
                        "lenient JSON " + abbreviate(body));
            }
        }
    }

    private Hostile unknownPath(Random r) {
        Who who = r.nextBoolean() ? Who.ADMIN : who(r);
        String path = pick(r, "/api/v1/nothing-here", "/api/v2/tenants", "/api/v1/tenants/" + fixture.victim() + "/secrets",
                "/api/v1/admin", "/api/v1/admin/tokens", "/api/v1/tenants/" + fixture.victim() + "/integrations/" + fixture.integrationId()
                        + "/credentials/../../..", "/api/v1/tenants/%2e%2e/%2e%2e/admin/tokens/re-encrypt", "/api/v1//tenants",
                "/api/v1/tenants/" + fixture.victim() + "/instances/" + fixture.instanceId() + "/token", "/api/%00",
                "/api/v1/tenants/" + encode("x".repeat(2000)));
        String method = pick(r, "GET", "POST", "DELETE");
        byte[] body = method.equals("POST") ? hostileBodyBytes(r) : null;
        // "a/../b" and "a//b" are normalised by the HTTP layer: as GETs they may reach a real read
        boolean normalisedRead = method.equals("GET") && (path.contains("/../") || path.endsWith("/..") || path.contains("//"));
        return new Hostile("unknown path", method, path, auth(r, who), body, body == null ? null : "application/json", normalisedRead,
                who.toString());
    }

    private String integrationPath(Random r, Who who, boolean realIdAllowedForAdmin) {
        if (who == Who.ADMIN) {
            return "/api/v1/tenants/" + pick(r, fixture.victim(), fixture.acmeOther(), "acme", tenantPath(r, who)) + "/integrations/"
                    + (realIdAllowedForAdmin && r.nextInt(3) == 0 ? fixture.integrationId() : deadId(r));
        }
        return "/api/v1/tenants/" + pick(r, fixture.victim(), fixture.acmeOther(), tenantPath(r, who)) + "/integrations/"
                + pick(r, fixture.integrationId(), fixture.integrationId().toUpperCase(), deadId(r));
    }

    // ------------------------------------------------------------------ poisons

    private record Poisoned(byte[] bytes, String why) {}

    /**
     * Breaks {@code body} for sure: malformed JSON, an unknown field, a field of the wrong type, too long, missing,
     * or with control characters; then maybe more.
     *
     * @param limits      the maximum length of string fields
     * @param required    fields whose absence is an error
     * @param noControl   fields that refuse control characters
     * @param typed       non-string fields (UUIDs, booleans) that refuse arbitrary text
     */
    private Poisoned poison(Random r, ObjectNode body, Map<String, Integer> limits, Set<String> required, Set<String> noControl, Set<String> typed) {
        List<String> strings = new ArrayList<>(limits.keySet());
        strings.sort(null);
        int choice = r.nextInt(7);
        switch (choice) {
            case 0 -> {
                return new Poisoned(malformed(r, body.toString()).getBytes(StandardCharsets.UTF_8), "malformed JSON");
            }
            case 1 -> {
                String field = pick(r, "isAdmin", "tenantId", "__proto__", "$where", "apiToken ", "clientSecret", "constructor", "extra", "idd",
                        "x".repeat(100));
                body.put(field, hostileString(r));
                return maybeMore(r, body, "unknown field " + abbreviate(field));
            }
            case 2 -> {
                String field = pick(r, strings);
                body.set(field, pick(r, NODES.objectNode().put("$gt", ""), NODES.arrayNode().add(1).add("a"), NODES.objectNode()));
                return maybeMore(r, body, "wrong type for " + field);
            }
            case 3 -> {
                String field = pick(r, strings);
                int limit = limits.get(field);
                body.put(field, pick(r, "a", "\u00e9", "'", "\u0000").repeat(limit + 1 + r.nextInt(Math.min(3 * limit, 60_000 - limit))));
                return maybeMore(r, body, field + " too long");
            }
            case 4 -> {
                if (!required.isEmpty()) {
                    String field = pick(r, new ArrayList<>(new java.util.TreeSet<>(required)));
                    if (r.nextBoolean()) {
                        body.remove(field);
                    } else {
                        body.putNull(field);
                    }
                    return maybeMore(r, body, field + " missing");
                }
                return wholeBodyOfWrongType(r);
            }
            case 5 -> {
                if (!noControl.isEmpty()) {
                    String field = pick(r, new ArrayList<>(new java.util.TreeSet<>(noControl)));
                    String value = body.path(field).asText("x");
                    int at = r.nextInt(value.length() + 1);
                    body.put(field, value.substring(0, at) + pick(r, "\u0000", "\n", "\u001b", "\u007f", "\r\n", "\u0085") + value.substring(at));
                    return maybeMore(r, body, field + " control character");
                }
                if (!typed.isEmpty()) {
                    String field = pick(r, new ArrayList<>(new java.util.TreeSet<>(typed)));
                    body.put(field, pick(r, "not-a-uuid", "maybe", "' or 1=1--", "{}", "yes please"));
                    return maybeMore(r, body, field + " wrong value");
                }
                return wholeBodyOfWrongType(r);
            }
            default -> {
                return wholeBodyOfWrongType(r);
            }
        }
    }

    private Poisoned wholeBodyOfWrongType(Random r) {
        return new Poisoned(pick(r, "[]", "\"" + FakeAuthentik.ADMIN_TOKEN + "\"", "42", "true", "[{}]", "{}{}", "{} []", "]", "{", "\"\\u0000\"")
                .getBytes(StandardCharsets.UTF_8), "whole body of the wrong shape");
    }

    /** Foreign and unauthenticated requests: a body that may well be valid (the refusal must come from the key or the id). */
    private Poisoned maybePoison(Random r, ObjectNode body, Map<String, Integer> limits) {
        return r.nextInt(3) == 0 ? poison(r, body, limits, Set.of(), Set.of(), Set.of()) : new Poisoned(body.toString().getBytes(StandardCharsets.UTF_8), "plausible body");
    }

    private Poisoned maybeMore(Random r, ObjectNode body, String why) {
        if (r.nextInt(4) == 0) {
            body.put("zz-" + r.nextInt(100), hostileString(r));
            return new Poisoned(body.toString().getBytes(StandardCharsets.UTF_8), why + " + unknown field");
        }
        return new Poisoned(body.toString().getBytes(StandardCharsets.UTF_8), why);
    }

    private String malformed(Random r, String json) {
        return switch (r.nextInt(6)) {
            case 0 -> json.substring(0, Math.max(1, r.nextInt(json.length())));
            case 1 -> json.replace('"', '\'');
            case 2 -> json + pick(r, "}", ",", " garbage", "\u0000");
            case 3 -> json.replaceFirst(":", "::");
            case 4 -> "{\"secret\": \"" + FakeAuthentik.ADMIN_TOKEN + "\" " + ADMIN_KEY;
            default -> json.replaceFirst("\"", "");
        };
    }

    private byte[] hostileBodyBytes(Random r) {
        return pick(r, "{}", "{\"previewUser\":\"" + "u".repeat(200) + "\"}", "not json " + ADMIN_KEY, "[1,2,3]",
                "{\"x\":\"" + FakeAuthentik.ADMIN_TOKEN + "\"", "null", validLooking(r)).getBytes(StandardCharsets.UTF_8);
    }

    private String validLooking(Random r) {
        return pick(r, "{\"id\":\"valid-looking-" + r.nextInt(1000) + "\",\"displayName\":\"Valid\"}",
                "{\"loginRedirectUri\":\"https://auth.openai.com/sso/oidc/callback/conn_1\"}",
                "{\"application\":{\"name\":\"ChatGPT\",\"slug\":\"valid-looking\"}}");
    }

    /** An Idempotency-Key the service must refuse (an empty header counts as no header, so it is not among them). */
    private String idempotencyKey(Random r) {
        return pick(r, "a b", "k".repeat(201 + r.nextInt(2000)), "caf\u00e9", "\u00ff\u00fe", "tab\there");
    }

    private String hostileString(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> pick(r, INJECTIONS);
            case 1 -> pick(r, INJECTIONS).repeat(1 + r.nextInt(40));
            case 2 -> {
                StringBuilder out = new StringBuilder();
                int length = r.nextInt(300);
                for (int i = 0; i < length; i++) {
                    out.append((char) r.nextInt(0x3000));
                }
                yield out.toString().replace('\ud800', 'x');
            }
            case 3 -> pick(r, ADMIN_KEY, FakeAuthentik.ADMIN_TOKEN, fixture.clientSecret(), ACME_KEY);
            case 4 -> "ChatGPT " + r.nextInt(100);
            default -> "x".repeat(r.nextInt(3000));
        };
    }

    private static String junkQuery(Random r) {
        return r.nextInt(3) != 0 ? "" : pick(r, "?a=1", "?page=0", "?" + encode("' or 1=1--") + "=1", "?x=" + "y".repeat(2000), "?%00=%00",
                "?tenant=globex", "?size=100000");
    }

    private static String contentTypeFor(Random r) {
        return r.nextInt(8) == 0 ? pick(r, "application/json; charset=utf-16", "application/JSON", "application/json;charset=iso-8859-1")
                : "application/json";
    }

    private static String jsonType(Random r, Who who) {
        return contentTypeFor(r);
    }

    // ------------------------------------------------------------------ helpers

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static <T> T pick(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 160 ? flat : flat.substring(0, 160) + "…(" + flat.length() + ")";
    }
}
