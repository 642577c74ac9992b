package dev.chatgptsso.provisioner.fakeauthentik;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks requests, and the fake's own answers ({@link #validateResponse}), against authentik's published OpenAPI
 * schema for the running version, with Atlassian's swagger-request-validator. Each schema file is parsed at most
 * once per JVM (about 1.7 s), on first use.
 *
 * <p>Three adjustments are made to the parsed schema, all to work around validator limitations rather than to
 * loosen the contract:
 * <ul>
 *   <li>From 2026.5 the schema declares enum query parameters as {@code allOf: [$ref: SomeEnum]} without a
 *   {@code type}. The validator then tries to parse the raw value as JSON and rejects every value, valid or
 *   not ("Unable to parse JSON - Unrecognized token 'authorization'"). Such parameter schemas are replaced by
 *   the referenced enum schema, which keeps the enum check.</li>
 *   <li>{@code TransactionApplicationRequest.provider} is {@code modelRequest}: a {@code oneOf} over all
 *   provider request schemas with a discriminator ({@code provider_model}) that lives outside the object.
 *   The validator refuses that schema altogether ("Invalid JSON Schema, cannot continue ...
 *   'discriminator.propertyName' value 'provider_model' must be the name of a defined property"), so the
 *   whole transactional body would go unchecked. The property is replaced by a plain object schema and the
 *   provider part is validated separately against the concrete component chosen by {@code provider_model}
 *   (by validating a synthetic request to that provider type's create endpoint).</li>
 * </ul>
 *
 * <p>Validator messages that are not reported as violations (see {@link #LEVELS}):
 * <ul>
 *   <li>{@code validation.request.security.*}: authentication is enforced by the fake itself with authentik's
 *   own 403 answers (REFERENCE 1.3); the validator would also reject the lower-case "bearer" scheme word that
 *   authentik accepts.</li>
 *   <li>{@code validation.request.body.schema.additionalProperties}: the validator treats every object schema
 *   as closed by default, but authentik's schemas do not set {@code additionalProperties: false} and authentik
 *   silently drops unknown fields (REFERENCE 7.2), e.g. {@code grant_types} sent to 2026.2.</li>
 *   <li>{@code validation.request.parameter.query.unexpected}: authentik ignores unknown query parameters
 *   (ignored by the validator's defaults as well).</li>
 * </ul>
 * A valueless {@code ?download} flag is passed to the validator as {@code download=true}: authentik only tests
 * the parameter's presence and documents the bare form (REFERENCE 5, 12.5).
 */
final class SchemaValidator {

    private static final Map<String, ValidationReport.Level> LEVELS = Map.of(
            "validation.request.security", ValidationReport.Level.IGNORE,
            "validation.request.body.schema.additionalProperties", ValidationReport.Level.IGNORE,
            "validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE);

    static final String TRANSACTIONAL_PATH = "/api/v3/core/transactional/applications/";

    private static final ConcurrentHashMap<Path, Optional<SchemaValidator>> CACHE = new ConcurrentHashMap<>();
    private static final AtomicBoolean MISSING_NOTICE_PRINTED = new AtomicBoolean();

    private final OpenApiInteractionValidator validator;
    /** provider_model value → path of that provider type's create endpoint, e.g. /api/v3/providers/oauth2/ */
    private final Map<String, String> providerCreatePaths;

    private SchemaValidator(OpenApiInteractionValidator validator, Map<String, String> providerCreatePaths) {
        this.validator = validator;
        this.providerCreatePaths = providerCreatePaths;
    }

    /** system property authentik.schema.dir, env AUTHENTIK_SCHEMA_DIR, else the committed copies in src/test/resources/authentik-schemas */
    static Path schemaDirectory() {
        String dir = System.getProperty("authentik.schema.dir");
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("AUTHENTIK_SCHEMA_DIR");
        }
        if (dir == null || dir.isBlank()) {
            dir = "src/test/resources/authentik-schemas";
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    static Path schemaFile(AuthentikVersion version) {
        return schemaDirectory().resolve(version.schemaFileName());
    }

    /** The validator for this version's schema, or empty (after one notice on stderr) if the file is absent. */
    static Optional<SchemaValidator> forVersion(AuthentikVersion version) {
        return CACHE.computeIfAbsent(schemaFile(version), SchemaValidator::load);
    }

    private static Optional<SchemaValidator> load(Path file) {
        if (!Files.isRegularFile(file)) {
            if (MISSING_NOTICE_PRINTED.compareAndSet(false, true)) {
                System.err.println("authentik schema not found at " + file + ": request validation skipped");
            }
            return Optional.empty();
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        OpenAPI api = new OpenAPIV3Parser().read(file.toUri().toString(), null, options);
        if (api == null) {
            throw new IllegalStateException("cannot parse authentik schema " + file);
        }
        Map<String, String> providerCreatePaths = providerCreatePaths(api);
        replaceTypelessEnumParameters(api);
        replaceNullableAllOfProperties(api);
        api.getComponents().getSchemas().get("TransactionApplicationRequest").getProperties()
                .put("provider", new ObjectSchema());
        LevelResolver.Builder levels = LevelResolver.create();
        LEVELS.forEach(levels::withLevel);
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createFor(api)
                .withLevelResolver(levels.build())
                .withStrictOperationPathMatching()
                .build();
        return Optional.of(new SchemaValidator(validator, providerCreatePaths));
    }

    @SuppressWarnings("rawtypes")
    private static Map<String, String> providerCreatePaths(OpenAPI api) {
        Map<String, String> byComponent = new HashMap<>();
        api.getPaths().forEach((path, item) -> {
            Operation post = item.getPost();
            if (post == null || post.getRequestBody() == null || post.getRequestBody().getContent() == null) return;
            MediaType json = post.getRequestBody().getContent().get("application/json");
            if (json != null && json.getSchema() != null && json.getSchema().get$ref() != null) {
                byComponent.putIfAbsent(json.getSchema().get$ref(), path);
            }
        });
        String basePath = api.getServers() == null || api.getServers().isEmpty() ? "" : api.getServers().get(0).getUrl();
        Map<String, String> result = new HashMap<>();
        Schema modelRequest = api.getComponents().getSchemas().get("modelRequest");
        if (modelRequest != null && modelRequest.getDiscriminator() != null
                && modelRequest.getDiscriminator().getMapping() != null) {
            modelRequest.getDiscriminator().getMapping().forEach((model, ref) -> {
                String path = byComponent.get(ref);
                if (path != null) result.put(model, basePath + path);
            });
        }
        return result;
    }

    @SuppressWarnings("rawtypes")
    private static void replaceTypelessEnumParameters(OpenAPI api) {
        Map<String, Schema> components = api.getComponents().getSchemas();
        List<Parameter> parameters = new ArrayList<>();
        if (api.getComponents().getParameters() != null) {
            parameters.addAll(api.getComponents().getParameters().values());
        }
        for (PathItem item : api.getPaths().values()) {
            if (item.getParameters() != null) parameters.addAll(item.getParameters());
            for (Operation operation : item.readOperations()) {
                if (operation.getParameters() != null) parameters.addAll(operation.getParameters());
            }
        }
        for (Parameter parameter : parameters) {
            Schema schema = parameter.getSchema();
            if (schema instanceof ComposedSchema composed && schema.getType() == null
                    && composed.getAllOf() != null && composed.getAllOf().size() == 1) {
                Schema target = composed.getAllOf().get(0);
                if (target.get$ref() != null) {
                    target = components.get(target.get$ref().substring(target.get$ref().lastIndexOf('/') + 1));
                }
                if (target != null && target.getEnum() != null) {
                    parameter.setSchema(target);
                }
            }
        }
    }

    /**
     * drf-spectacular writes a nullable reference as {@code {allOf: [$ref: X], nullable: true}}. The validator
     * applies {@code nullable} only to the schema that carries it and still validates {@code null} against every
     * {@code allOf} member, so a correct {@code null} fails ("Instance type (null) does not match any allowed
     * primitive type (allowed: ["object"])"). Each such property becomes a copy of {@code X} with
     * {@code nullable: true} (and {@code null} added to an enum), which accepts exactly {@code X} or null.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void replaceNullableAllOfProperties(OpenAPI api) {
        Map<String, Schema> components = api.getComponents().getSchemas();
        for (Schema component : components.values()) {
            Map<String, Schema> properties = component.getProperties();
            if (properties == null) continue;
            for (Map.Entry<String, Schema> property : properties.entrySet()) {
                Schema schema = property.getValue();
                if (!(schema instanceof ComposedSchema composed) || !Boolean.TRUE.equals(schema.getNullable())
                        || composed.getAllOf() == null || composed.getAllOf().size() != 1
                        || composed.getAllOf().get(0).get$ref() == null) {
                    continue;
                }
                String ref = composed.getAllOf().get(0).get$ref();
                Schema target = components.get(ref.substring(ref.lastIndexOf('/') + 1));
                if (target == null || target instanceof ComposedSchema) continue;
                Schema copy = new Schema();
                copy.setType(target.getType());
                copy.setFormat(target.getFormat());
                copy.setProperties(target.getProperties());
                copy.setRequired(target.getRequired());
                copy.setAdditionalProperties(target.getAdditionalProperties());
                copy.setItems(target.getItems());
                if (target.getEnum() != null) {
                    List<Object> values = new ArrayList<>(target.getEnum());
                    values.add(null);
                    copy.setEnum(values);
                }
                copy.setNullable(true);
                copy.setReadOnly(schema.getReadOnly());
                property.setValue(copy);
            }
        }
    }

    /** Violations of the schema by this request, each as "key: message"; empty when the request conforms. */
    List<String> validate(String method, String path, Map<String, List<String>> query, String authorization,
                          String contentType, String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        query.forEach((name, values) -> {
            boolean bareFlag = name.equals("download") && values.stream().allMatch(String::isEmpty);
            request.withQueryParam(name, bareFlag ? List.of("true") : values);
        });
        if (authorization != null) request.withAuthorization(authorization);
        if (contentType != null) request.withContentType(contentType);
        if (body != null && !body.isEmpty()) request.withBody(body);
        List<String> violations = messages(validator.validateRequest(request.build()), "");
        if (method.equals("PUT") && path.equals(TRANSACTIONAL_PATH)) {
            violations.addAll(validateTransactionalProvider(body));
        }
        return violations;
    }

    /**
     * Violations of the schema by the fake's own answer to {@code method path}, each as "key: message"; empty when
     * the answer matches what the schema says authentik returns for that operation and status.
     */
    List<String> validateResponse(String method, String path, int status, String contentType, String body) {
        body = withoutUndocumentedSetupUrlNulls(path, body);
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (contentType != null) response.withContentType(contentType);
        if (body != null && !body.isEmpty()) response.withBody(body);
        List<String> violations = messages(validator.validateResponse(path, Request.Method.valueOf(method), response.build()), "");
        violations.removeIf(SchemaValidator::isBlankEmail);
        return violations;
    }

    /**
     * A user without an email address: authentik's {@code User.email} is a Django {@code EmailField(blank=True)},
     * so authentik answers {@code "email": ""}, while drf-spectacular publishes the field as {@code format: email}.
     * Only the empty string is let through; any other malformed address is still a violation.
     */
    private static boolean isBlankEmail(String violation) {
        return violation.startsWith("validation.response.body.schema.format.email:") && violation.contains("String \"\" is not a valid email");
    }

    private static final java.util.regex.Pattern SETUP_URLS =
            java.util.regex.Pattern.compile("/api/v3/providers/oauth2/[^/]+/setup_urls/");
    private static final List<String> SLUG_BASED_SETUP_URLS = List.of("issuer", "provider_info", "logout");

    /**
     * {@code setup_urls} of a provider without application: authentik's code answers 200 with {@code issuer},
     * {@code provider_info} and {@code logout} null and no {@code jwks} (REFERENCE 7.6), although its schema
     * declares all four as required non-null strings (and documents a 404 that the code never sends). Only that
     * exact shape is passed to the validator with those four fields filled in, so every other field (and every
     * answer for a bound provider) is still checked as published.
     */
    private static String withoutUndocumentedSetupUrlNulls(String path, String body) {
        if (body == null || body.isEmpty() || !SETUP_URLS.matcher(path).matches()) return body;
        try {
            JsonNode root = Json.parse(body);
            boolean unbound = root.isObject() && !root.has("jwks")
                    && SLUG_BASED_SETUP_URLS.stream().allMatch(field -> root.has(field) && root.get(field).isNull());
            if (!unbound) return body;
            com.fasterxml.jackson.databind.node.ObjectNode filled = (com.fasterxml.jackson.databind.node.ObjectNode) root.deepCopy();
            SLUG_BASED_SETUP_URLS.forEach(field -> filled.put(field, ""));
            filled.put("jwks", "");
            return Json.write(filled);
        } catch (Exception e) {
            return body; // not JSON: the validator reports it
        }
    }

    private List<String> validateTransactionalProvider(String body) {
        JsonNode root;
        try {
            root = Json.parse(body == null || body.isEmpty() ? "{}" : body);
        } catch (Exception e) {
            return List.of(); // already reported as invalid JSON
        }
        String createPath = providerCreatePaths.get(root.path("provider_model").asText());
        JsonNode provider = root.get("provider");
        if (createPath == null || provider == null || !provider.isObject()) {
            return List.of(); // wrong enum value / type already reported for the whole body
        }
        SimpleRequest synthetic = SimpleRequest.Builder.post(createPath)
                .withContentType("application/json")
                .withBody(Json.write(provider))
                .build();
        return messages(validator.validateRequest(synthetic), "/provider");
    }

    private static List<String> messages(ValidationReport report, String pointerPrefix) {
        List<String> messages = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() != ValidationReport.Level.ERROR) continue;
            String text = message.getMessage().replace('\n', ' ');
            if (!pointerPrefix.isEmpty()) {
                text = text.replace("[Path '/", "[Path '" + pointerPrefix + "/");
                if (!text.startsWith("[Path")) text = "[Path '" + pointerPrefix + "'] " + text;
            }
            StringBuilder line = new StringBuilder(message.getKey()).append(": ").append(text);
            message.getAdditionalInfo().forEach(info -> line.append(" (").append(info.replace('\n', ' ')).append(')'));
            messages.add(line.toString());
        }
        return messages;
    }
}
