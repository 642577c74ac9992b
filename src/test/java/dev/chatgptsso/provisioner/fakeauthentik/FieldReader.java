package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads one JSON request object field by field the way Django REST framework serializers do, collecting
 * errors in DRF's shape ({@code {"field": ["message"]}}) and the accepted values in {@link #values}.
 * Only fields present in the request end up in {@code values}; unknown fields are never looked at
 * (DRF drops them silently).
 */
final class FieldReader {

    static final String REQUIRED = "This field is required.";
    static final String NOT_NULL = "This field may not be null.";
    static final String NOT_BLANK = "This field may not be blank.";

    private static final Set<String> URL_SCHEMES = Set.of("http", "https", "ftp", "ftps");
    private static final Set<String> DURATION_UNITS =
            Set.of("weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private final ObjectNode input;
    private final boolean enforceRequired;
    final ObjectNode errors = Json.object();
    final ObjectNode values = Json.object();

    /** @param enforceRequired true for create and PUT, false for PATCH */
    FieldReader(ObjectNode input, boolean enforceRequired) {
        this.input = input;
        this.enforceRequired = enforceRequired;
    }

    boolean present(String field) {
        return input.has(field);
    }

    void error(String field, String message) {
        JsonNode existing = errors.get(field);
        if (existing instanceof ArrayNode list) {
            list.add(message);
        } else {
            errors.set(field, Json.array().add(message));
        }
    }

    void errorDetail(String field, JsonNode detail) {
        errors.set(field, detail);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    boolean hasError(String field) {
        return errors.has(field);
    }

    void throwIfErrors() {
        if (hasErrors()) {
            throw ApiException.badRequest(errors);
        }
    }

    /**
     * Common prologue: required / null handling. Returns the non-null value to check, or null when
     * there is nothing more to do (absent, null accepted, or error recorded).
     */
    private JsonNode take(String field, boolean required, boolean nullable) {
        if (!input.has(field)) {
            if (required && enforceRequired) {
                error(field, REQUIRED);
            }
            return null;
        }
        JsonNode value = input.get(field);
        if (value.isNull()) {
            if (nullable) {
                values.putNull(field);
            } else {
                error(field, NOT_NULL);
            }
            return null;
        }
        return value;
    }

    /** DRF CharField: numbers are converted, booleans / lists / objects rejected. */
    private String asString(String field, JsonNode value) {
        if (value.isTextual()) return value.asText();
        if (value.isNumber()) return value.asText();
        error(field, "Not a valid string.");
        return null;
    }

    void string(String field, boolean required, boolean allowBlank, int maxLength) {
        JsonNode value = take(field, required, false);
        if (value == null) return;
        String text = asString(field, value);
        if (text == null) return;
        if (!allowBlank && text.isBlank()) {
            error(field, NOT_BLANK);
        } else if (maxLength > 0 && text.length() > maxLength) {
            error(field, "Ensure this field has no more than " + maxLength + " characters.");
        } else {
            values.put(field, text);
        }
    }

    void nullableString(String field) {
        JsonNode value = take(field, false, true);
        if (value == null) return;
        String text = asString(field, value);
        if (text != null) values.put(field, text);
    }

    void bool(String field) {
        JsonNode value = take(field, false, false);
        if (value == null) return;
        Boolean parsed = null;
        if (value.isBoolean()) {
            parsed = value.asBoolean();
        } else if (value.isIntegralNumber() && (value.asInt() == 0 || value.asInt() == 1)) {
            parsed = value.asInt() == 1;
        } else if (value.isTextual()) {
            String text = value.asText();
            if (Set.of("true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES", "y", "Y", "1").contains(text)) parsed = true;
            if (Set.of("false", "False", "FALSE", "off", "Off", "OFF", "no", "No", "NO", "n", "N", "0").contains(text)) parsed = false;
        }
        if (parsed == null) {
            error(field, "Must be a valid boolean.");
        } else {
            values.put(field, parsed);
        }
    }

    void choice(String field, boolean required, Collection<String> choices) {
        JsonNode value = take(field, required, false);
        if (value == null) return;
        String text = value.isBoolean() ? (value.asBoolean() ? "True" : "False") : value.asText();
        if (value.isContainerNode() || !choices.contains(text)) {
            error(field, invalidChoice(value));
        } else {
            values.put(field, text);
        }
    }

    static String invalidChoice(JsonNode value) {
        String shown = value.isTextual() ? value.asText() : Json.write(value);
        return "\"" + shown + "\" is not a valid choice.";
    }

    /** List of choices (a Postgres ArrayField of choices): per-index errors like DRF's ListField. */
    void choiceList(String field, Collection<String> choices) {
        JsonNode value = take(field, false, false);
        if (value == null) return;
        if (!value.isArray()) {
            error(field, notAList(value));
            return;
        }
        ObjectNode itemErrors = Json.object();
        ArrayNode accepted = Json.array();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isTextual() && choices.contains(item.asText())) {
                accepted.add(item.asText());
            } else {
                itemErrors.set(Integer.toString(i), Json.array().add(invalidChoice(item)));
            }
        }
        if (itemErrors.isEmpty()) {
            values.set(field, accepted);
        } else {
            errorDetail(field, itemErrors);
        }
    }

    static String notAList(JsonNode value) {
        return "Expected a list of items but got type \"" + Json.pythonType(value) + "\".";
    }

    /** A primary-key related field whose target has a UUID pk. DRF turns "" into null for relations. */
    void uuidReference(String field, boolean required, boolean nullable, Predicate<String> exists) {
        JsonNode value = input.get(field);
        if (value != null && value.isTextual() && value.asText().isEmpty()) {
            if (nullable) values.putNull(field); else error(field, NOT_NULL);
            return;
        }
        value = take(field, required, nullable);
        if (value == null) return;
        String message = checkUuidReference(value, exists);
        if (message == null) {
            values.put(field, canonicalUuid(value.asText()));
        } else {
            error(field, message);
        }
    }

    private static String checkUuidReference(JsonNode value, Predicate<String> exists) {
        if (!value.isTextual()) {
            return "Incorrect type. Expected pk value, received " + Json.pythonType(value) + ".";
        }
        String text = value.asText();
        if (!isUuid(text)) {
            return "\u201c" + text + "\u201d is not a valid UUID.";
        }
        if (!exists.test(canonicalUuid(text))) {
            return "Invalid pk \"" + text + "\" - object does not exist.";
        }
        return null;
    }

    void uuidReferenceList(String field, Predicate<String> exists) {
        JsonNode value = take(field, false, false);
        if (value == null) return;
        if (!value.isArray()) {
            error(field, notAList(value));
            return;
        }
        ArrayNode accepted = Json.array();
        for (JsonNode item : value) {
            String message = checkUuidReference(item, exists);
            if (message != null) {
                // DRF's ManyRelatedField stops at the first bad item and reports a flat list
                error(field, message);
                return;
            }
            accepted.add(canonicalUuid(item.asText()));
        }
        values.set(field, accepted);
    }

    void intReference(String field, boolean nullable, IntPredicate exists) {
        JsonNode value = input.get(field);
        if (value != null && value.isTextual() && value.asText().isEmpty()) {
            if (nullable) values.putNull(field); else error(field, NOT_NULL);
            return;
        }
        value = take(field, false, nullable);
        if (value == null) return;
        Integer pk = intPk(value);
        if (pk == null) {
            error(field, "Incorrect type. Expected pk value, received " + Json.pythonType(value) + ".");
        } else if (!exists.test(pk)) {
            error(field, "Invalid pk \"" + value.asText() + "\" - object does not exist.");
        } else {
            values.put(field, pk);
        }
    }

    void intReferenceList(String field, IntPredicate exists) {
        JsonNode value = take(field, false, false);
        if (value == null) return;
        if (!value.isArray()) {
            error(field, notAList(value));
            return;
        }
        ArrayNode accepted = Json.array();
        for (JsonNode item : value) {
            Integer pk = intPk(item);
            if (pk == null) {
                error(field, "Incorrect type. Expected pk value, received " + Json.pythonType(item) + ".");
                return;
            }
            if (!exists.test(pk)) {
                error(field, "Invalid pk \"" + item.asText() + "\" - object does not exist.");
                return;
            }
            accepted.add(pk);
        }
        values.set(field, accepted);
    }

    private static Integer intPk(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToInt()) return value.asInt();
        if (value.isTextual() && value.asText().matches("-?\\d{1,9}")) return Integer.parseInt(value.asText());
        return null;
    }

    /** authentik's "unit=value;unit=value" durations, e.g. {@code hours=1;minutes=30}. */
    void duration(String field) {
        JsonNode value = take(field, false, false);
        if (value == null) return;
        String text = asString(field, value);
        if (text == null) return;
        if (text.isBlank()) {
            error(field, NOT_BLANK);
        } else if (!isDuration(text)) {
            error(field, text + " is not in the correct format of 'hours=3;minutes=1'.");
        } else {
            values.put(field, text);
        }
    }

    static boolean isDuration(String text) {
        for (String part : text.split(";")) {
            String[] unitAndValue = part.split("=", -1);
            if (unitAndValue.length != 2 || !DURATION_UNITS.contains(unitAndValue[0].trim())
                    || !NUMBER.matcher(unitAndValue[1].trim()).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Django's URLValidator, approximated: http(s)/ftp(s) scheme and a host. */
    void url(String field, boolean required, boolean allowBlank) {
        JsonNode value = take(field, required, false);
        if (value == null) return;
        String text = asString(field, value);
        if (text == null) return;
        if (text.isEmpty()) {
            if (allowBlank) values.put(field, text); else error(field, NOT_BLANK);
        } else if (!isUrl(text)) {
            error(field, "Enter a valid URL.");
        } else {
            values.put(field, text);
        }
    }

    static boolean isUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.getScheme() != null && URL_SCHEMES.contains(uri.getScheme().toLowerCase())
                    && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    /** Django accepts UUIDs with or without dashes. */
    static boolean isUuid(String text) {
        return UUID_TEXT.matcher(text).matches();
    }

    /** Canonical lower-case dashed form of a text accepted by {@link #isUuid}. */
    static String canonicalUuid(String text) {
        String hex = text.replace("-", "").toLowerCase();
        return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16)
                + "-" + hex.substring(16, 20) + "-" + hex.substring(20)).toString();
    }

    JsonNode raw(String field) {
        return input.get(field);
    }
}
