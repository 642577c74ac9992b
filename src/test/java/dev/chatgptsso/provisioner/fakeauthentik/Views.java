package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * Renders stored objects the way authentik's serializers return them for the current version: stored writable
 * fields (defaults for fields the stored object lacks, e.g. after an upgrade), plus read-only and computed
 * fields. {@code baseUrl} is the scheme and host the caller used; authentik builds its absolute URLs from it.
 */
final class Views {

    private final FakeState state;
    private final String baseUrl;

    Views(FakeState state, String baseUrl) {
        this.state = state;
        this.baseUrl = baseUrl;
    }

    private AuthentikVersion version() {
        return state.version;
    }

    // ---------------------------------------------------------------- flows, keys, mappings

    ObjectNode flow(ObjectNode stored) {
        return stored.deepCopy();
    }

    ObjectNode keyPair(KeyPairEntry keyPair) {
        ObjectNode view = Json.object();
        view.put("pk", keyPair.pk());
        view.put("name", keyPair.name());
        view.put("fingerprint_sha256", keyPair.fingerprintSha256());
        view.put("fingerprint_sha1", keyPair.fingerprintSha1());
        view.put("cert_expiry", DateTimeFormatter.ISO_INSTANT.format(keyPair.certExpiry()));
        view.put("cert_subject", keyPair.certSubject());
        view.put("private_key_available", keyPair.privateKeyAvailable());
        if (version().hasKeyType()) {
            view.put("key_type", keyPair.keyType());
        } else {
            // before 2025.12 the field described the private key, null when there is none
            view.put("private_key_type", keyPair.privateKeyAvailable() ? keyPair.keyType() : null);
        }
        view.put("certificate_download_url",
                "/api/v3/crypto/certificatekeypairs/" + keyPair.pk() + "/view_certificate/?download");
        view.put("private_key_download_url",
                "/api/v3/crypto/certificatekeypairs/" + keyPair.pk() + "/view_private_key/?download");
        view.put("managed", keyPair.managed());
        return view;
    }

    ObjectNode scopeMapping(ObjectNode stored) {
        ObjectNode view = mappingHead(stored, "ak-property-mapping-provider-scope-form", "Scope Mapping",
                "Scope Mappings", "authentik_providers_oauth2.scopemapping");
        view.put("scope_name", stored.path("scope_name").asText());
        view.put("description", stored.path("description").asText(""));
        return view;
    }

    ObjectNode samlMapping(ObjectNode stored) {
        ObjectNode view = mappingHead(stored, "ak-property-mapping-provider-saml-form", "SAML Provider Property Mapping",
                "SAML Provider Property Mappings", "authentik_providers_saml.samlpropertymapping");
        view.put("saml_name", stored.path("saml_name").asText());
        view.set("friendly_name", stored.has("friendly_name") ? stored.get("friendly_name") : Json.MAPPER.nullNode());
        return view;
    }

    private static ObjectNode mappingHead(ObjectNode stored, String component, String verbose, String verbosePlural,
                                          String model) {
        ObjectNode view = Json.object();
        view.put("pk", stored.get("pk").asText());
        view.set("managed", stored.has("managed") ? stored.get("managed") : Json.MAPPER.nullNode());
        view.put("name", stored.get("name").asText());
        view.put("expression", stored.path("expression").asText());
        view.put("component", component);
        view.put("verbose_name", verbose);
        view.put("verbose_name_plural", verbosePlural);
        view.put("meta_model_name", model);
        return view;
    }

    // ---------------------------------------------------------------- providers

    ObjectNode provider(int pk) {
        ObjectNode stored = state.provider(pk).orElseThrow();
        return state.oauth2Providers.containsKey(pk) ? oauth2Provider(stored) : samlProvider(stored);
    }

    ObjectNode oauth2Provider(ObjectNode stored) {
        ObjectNode view = providerView(stored, Defaults.oauth2Provider(version()), "ak-provider-oauth2-form",
                "OAuth2/OpenID Provider", "OAuth2/OpenID Providers", Choices.PROVIDER_MODEL_OAUTH2);
        ArrayNode redirects = Json.array();
        for (JsonNode entry : stored.path("redirect_uris")) {
            ObjectNode rendered = Json.object();
            rendered.put("matching_mode", entry.path("matching_mode").asText());
            rendered.put("url", entry.path("url").asText());
            if (version().hasRedirectUriTypeAndGrantTypes()) {
                rendered.put("redirect_uri_type", entry.path("redirect_uri_type").asText("authorization"));
            }
            redirects.add(rendered);
        }
        view.set("redirect_uris", redirects);
        return view;
    }

    ObjectNode samlProvider(ObjectNode stored) {
        ObjectNode view = providerView(stored, Defaults.samlProvider(version()), "ak-provider-saml-form",
                "SAML Provider", "SAML Providers", Choices.PROVIDER_MODEL_SAML);
        Optional<String> slug = state.applicationForProvider(stored.get("pk").asInt()).map(app -> app.get("slug").asText());
        String samlBase = slug.map(s -> baseUrl + "/application/saml/" + s + "/").orElse(null);
        view.put("url_download_metadata", slug.isPresent() ? samlBase + "metadata/" : "-");
        if (version().hasSamlIssuerOverride()) {
            view.put("url_issuer", samlIssuer(stored, slug));
        }
        if (version().hasSamlUnifiedUrls()) {
            view.put("url_unified", slug.isPresent() ? samlBase : "-");
            view.put("url_unified_init", slug.isPresent() ? samlBase + "init/" : "-");
        }
        view.put("url_sso_post", slug.isPresent() ? samlBase + "sso/binding/post/" : "-");
        view.put("url_sso_redirect", slug.isPresent() ? samlBase + "sso/binding/redirect/" : "-");
        view.put("url_sso_init", slug.isPresent() ? samlBase + "sso/binding/init/" : "-");
        view.put("url_slo_post", slug.isPresent() ? samlBase + "slo/binding/post/" : "-");
        view.put("url_slo_redirect", slug.isPresent() ? samlBase + "slo/binding/redirect/" : "-");
        return view;
    }

    /**
     * The IdP entity ID. Before 2026.5 the stored {@code issuer}; from 2026.5 {@code issuer_override} or the
     * generated metadata URL (CHANGES row 35), the fixed default "authentik" without an application.
     */
    String samlIssuer(ObjectNode stored, Optional<String> slug) {
        if (!version().hasSamlIssuerOverride()) {
            return stored.path("issuer").asText("authentik");
        }
        String override = stored.path("issuer_override").asText("");
        if (!override.isEmpty()) {
            return override;
        }
        return slug.map(s -> baseUrl + "/application/saml/" + s + "/metadata/").orElse("authentik");
    }

    private ObjectNode providerView(ObjectNode stored, Map<String, JsonNode> fields, String component, String verbose,
                                    String verbosePlural, String model) {
        int pk = stored.get("pk").asInt();
        ObjectNode view = Json.object();
        view.put("pk", pk);
        int headFields = 5; // name, authentication_flow, authorization_flow, invalidation_flow, property_mappings
        int index = 0;
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            view.set(field.getKey(), stored.has(field.getKey()) ? stored.get(field.getKey()).deepCopy() : field.getValue().deepCopy());
            if (++index == headFields) {
                putProviderMeta(view, pk, component, verbose, verbosePlural, model);
            }
        }
        return view;
    }

    private void putProviderMeta(ObjectNode view, int pk, String component, String verbose, String verbosePlural,
                                 String model) {
        view.put("component", component);
        Optional<ObjectNode> app = state.applicationForProvider(pk);
        view.put("assigned_application_slug", app.map(a -> a.get("slug").asText()).orElse(null));
        view.put("assigned_application_name", app.map(a -> a.get("name").asText()).orElse(null));
        Optional<ObjectNode> backchannel = state.backchannelApplicationForProvider(pk);
        view.put("assigned_backchannel_application_slug", backchannel.map(a -> a.get("slug").asText()).orElse(null));
        view.put("assigned_backchannel_application_name", backchannel.map(a -> a.get("name").asText()).orElse(null));
        view.put("verbose_name", verbose);
        view.put("verbose_name_plural", verbosePlural);
        view.put("meta_model_name", model);
    }

    /** The generic {@code Provider} object embedded in applications ({@code provider_obj}). */
    ObjectNode providerSummary(int pk) {
        ObjectNode full = provider(pk);
        ObjectNode summary = Json.object();
        for (String field : new String[]{"pk", "name", "authentication_flow", "authorization_flow", "invalidation_flow",
                "property_mappings", "component", "assigned_application_slug", "assigned_application_name",
                "assigned_backchannel_application_slug", "assigned_backchannel_application_name", "verbose_name",
                "verbose_name_plural", "meta_model_name"}) {
            summary.set(field, full.get(field));
        }
        return summary;
    }

    /** {@code providers/oauth2/{id}/setup_urls/} (REFERENCE 7.6): slug-based URLs are null without an application. */
    ObjectNode setupUrls(ObjectNode provider) {
        Optional<String> slug = state.applicationForProvider(provider.get("pk").asInt()).map(app -> app.get("slug").asText());
        String oauth = baseUrl + "/application/o/";
        ObjectNode urls = Json.object();
        urls.put("issuer", slug.map(s -> issuer(provider, s)).orElse(null));
        urls.put("authorize", oauth + "authorize/");
        urls.put("token", oauth + "token/");
        urls.put("user_info", oauth + "userinfo/");
        urls.put("provider_info", slug.map(s -> oauth + s + "/.well-known/openid-configuration").orElse(null));
        urls.put("logout", slug.map(s -> oauth + s + "/end-session/").orElse(null));
        // authentik omits jwks without an application, although the schema lists it as required
        slug.ifPresent(s -> urls.put("jwks", oauth + s + "/jwks/"));
        if (version().has2026_8Additions()) {
            urls.putNull("dcr_registration");
        }
        return urls;
    }

    String issuer(ObjectNode provider, String slug) {
        boolean global = "global".equals(provider.path("issuer_mode").asText("per_provider"));
        return global ? baseUrl + "/" : baseUrl + "/application/o/" + slug + "/";
    }

    // ---------------------------------------------------------------- applications

    ObjectNode application(ObjectNode stored) {
        Map<String, JsonNode> fields = Defaults.application(version());
        ObjectNode view = Json.object();
        view.put("pk", stored.get("pk").asText());
        view.put("name", stored.get("name").asText());
        view.put("slug", stored.get("slug").asText());
        JsonNode provider = stored.path("provider");
        boolean hasProvider = provider.isInt() && state.providerExists(provider.asInt());
        if (hasProvider) {
            view.put("provider", provider.asInt());
            view.set("provider_obj", providerSummary(provider.asInt()));
        } else {
            view.putNull("provider");
            view.putNull("provider_obj");
        }
        ArrayNode backchannel = Json.array();
        ArrayNode backchannelObjects = Json.array();
        for (JsonNode pk : stored.path("backchannel_providers")) {
            if (state.providerExists(pk.asInt())) {
                backchannel.add(pk.asInt());
                backchannelObjects.add(providerSummary(pk.asInt()));
            }
        }
        view.set("backchannel_providers", backchannel);
        view.set("backchannel_providers_obj", backchannelObjects);
        view.put("launch_url", launchUrl(stored));
        view.set("open_in_new_tab", value(stored, fields, "open_in_new_tab"));
        view.set("meta_launch_url", value(stored, fields, "meta_launch_url"));
        view.set("meta_icon", fields.containsKey("meta_icon") ? value(stored, fields, "meta_icon") : Json.MAPPER.nullNode());
        view.putNull("meta_icon_url");
        if (version().hasThemedIconUrls()) {
            view.putNull("meta_icon_themed_urls");
        }
        view.set("meta_description", value(stored, fields, "meta_description"));
        view.set("meta_publisher", value(stored, fields, "meta_publisher"));
        view.set("policy_engine_mode", value(stored, fields, "policy_engine_mode"));
        view.set("group", value(stored, fields, "group"));
        if (fields.containsKey("meta_hide")) {
            view.set("meta_hide", value(stored, fields, "meta_hide"));
        }
        if (version().has2026_8Additions()) {
            view.put("pbm_uuid", stored.get("pk").asText());
        }
        return view;
    }

    private static JsonNode value(ObjectNode stored, Map<String, JsonNode> defaults, String field) {
        return stored.has(field) ? stored.get(field).deepCopy() : defaults.get(field).deepCopy();
    }

    /** Simplified launcher URL: meta_launch_url, else derived from the provider like authentik does. */
    String launchUrl(ObjectNode app) {
        String metaLaunchUrl = app.path("meta_launch_url").asText("");
        if (!metaLaunchUrl.isEmpty()) {
            return metaLaunchUrl.replace("%(username)s", "akadmin");
        }
        JsonNode providerPk = app.path("provider");
        if (!providerPk.isInt()) {
            return null;
        }
        ObjectNode oauth2 = state.oauth2Providers.get(providerPk.asInt());
        if (oauth2 != null) {
            // the first redirect URI without its path; a regex entry gives no launch URL
            for (JsonNode entry : oauth2.path("redirect_uris")) {
                if (!"authorization".equals(entry.path("redirect_uri_type").asText("authorization"))) {
                    continue;
                }
                if (!"strict".equals(entry.path("matching_mode").asText())) {
                    return null;
                }
                try {
                    URI uri = new URI(entry.path("url").asText());
                    return uri.getScheme() == null || uri.getAuthority() == null ? null
                            : uri.getScheme() + "://" + uri.getAuthority();
                } catch (URISyntaxException e) {
                    return null;
                }
            }
            return null;
        }
        if (state.samlProviders.containsKey(providerPk.asInt())) {
            return baseUrl + "/application/saml/" + app.get("slug").asText() + "/sso/binding/init/";
        }
        return null;
    }
}
