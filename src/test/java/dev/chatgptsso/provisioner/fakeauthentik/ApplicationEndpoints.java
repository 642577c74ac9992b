package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code core/applications/} (REFERENCE 9): CRUD addressed by slug, the launcher-style list and dependants. */
final class ApplicationEndpoints {

    private static final String BASE = "/api/v3/core/applications/";
    private static final Pattern SLUG = Pattern.compile("^[-a-zA-Z0-9_]+$");

    private final FakeState state;

    ApplicationEndpoints(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        routes.add("GET", BASE, Routes.Access.LIST, this::list);
        routes.add("POST", BASE, Routes.Access.WRITE, this::create);
        routes.add("GET", BASE + "{slug}/", Routes.Access.DETAIL, request -> ApiResponse.ok(views(request).application(find(request))));
        routes.add("PUT", BASE + "{slug}/", Routes.Access.WRITE, request -> update(request, true));
        routes.add("PATCH", BASE + "{slug}/", Routes.Access.WRITE, request -> update(request, false));
        routes.add("DELETE", BASE + "{slug}/", Routes.Access.WRITE, this::delete);
        routes.add("GET", BASE + "{slug}/used_by/", Routes.Access.DETAIL, request -> ApiResponse.ok(Json.array()));
    }

    private Views views(ApiRequest request) {
        return new Views(state, request.baseUrl);
    }

    private ObjectNode find(ApiRequest request) {
        return state.applicationBySlug(request.pathParam(0)).orElseThrow(() -> ApiException.notFound("Application"));
    }

    /**
     * REFERENCE 9.4: the end-user launcher list. Applications without bindings are open to everyone in the fake,
     * so the list holds all of them except hidden ones; {@code superuser_full_list=true} (superusers only) shows
     * those too.
     */
    private ApiResponse list(ApiRequest request) {
        Views views = views(request);
        boolean fullList = request.isSuperuser() && Boolean.TRUE.equals(request.booleanQueryParam("superuser_full_list"));
        List<ObjectNode> all = state.applications.values().stream().map(views::application)
                .filter(app -> fullList || !app.path("meta_hide").asBoolean(false)).toList();
        return ApiResponse.ok(Listing.of(request, all)
                .exact("slug", "name", "group", "meta_description", "meta_launch_url", "meta_publisher")
                .search("name", "slug", "meta_publisher", "meta_description", "group")
                .order("name")
                .page(state.version));
    }

    private ApiResponse create(ApiRequest request) {
        FieldReader reader = fields(request.jsonObject(), state, true, null, true);
        reader.throwIfErrors();
        ObjectNode stored = reader.values;
        stored.put("pk", UUID.randomUUID().toString());
        state.applications.put(stored.get("pk").asText(), stored);
        return ApiResponse.created(views(request).application(stored));
    }

    private ApiResponse update(ApiRequest request, boolean full) {
        ObjectNode stored = find(request);
        FieldReader reader = fields(request.jsonObject(), state, full, stored.get("pk").asText(), true);
        reader.throwIfErrors();
        ObjectNode updated = state.replace(state.applications, stored.get("pk").asText(), reader.values);
        return ApiResponse.ok(views(request).application(updated));
    }

    private ApiResponse delete(ApiRequest request) {
        state.deleteApplication(find(request).get("pk").asText());
        return ApiResponse.noContent();
    }

    /**
     * The ApplicationSerializer of the running version. {@code withProvider} is false inside the transactional
     * endpoint, which binds the provider itself.
     */
    static FieldReader fields(ObjectNode input, FakeState state, boolean enforceRequired, String exceptPk, boolean withProvider) {
        AuthentikVersion version = state.version;
        FieldReader reader = new FieldReader(input, enforceRequired);
        reader.string("name", true, false, 0);
        reader.string("slug", true, false, version.limitsSlugLength() ? 50 : 0);
        if (reader.values.has("slug")) {
            String slug = reader.values.get("slug").asText();
            if (!SLUG.matcher(slug).matches()) {
                reader.values.remove("slug");
                reader.error("slug", "Enter a valid \u201cslug\u201d consisting of letters, numbers, underscores or hyphens.");
            } else if (version.hasReservedSlugs() && Choices.RESERVED_APPLICATION_SLUGS.contains(slug)) {
                reader.values.remove("slug");
                reader.error("slug", "The slug '" + slug + "' is reserved and cannot be used for applications.");
            } else if (state.applicationBySlug(slug).filter(app -> !app.get("pk").asText().equals(exceptPk)).isPresent()
                    && withProvider) {
                reader.values.remove("slug");
                reader.error("slug", "Application with this slug already exists.");
            }
        }
        if (withProvider) {
            reader.intReference("provider", true, state::providerExists);
            if (reader.values.hasNonNull("provider")) {
                int providerPk = reader.values.get("provider").asInt();
                if (state.applicationForProvider(providerPk).filter(app -> !app.get("pk").asText().equals(exceptPk)).isPresent()) {
                    reader.error("provider", "Application with this provider already exists.");
                }
            }
        }
        reader.intReferenceList("backchannel_providers", state::providerExists);
        reader.bool("open_in_new_tab");
        reader.string("meta_launch_url", false, true, 0);
        if (version.hasWritableMetaIcon()) {
            reader.string("meta_icon", false, true, 0);
        }
        reader.string("meta_description", false, true, 0);
        reader.string("meta_publisher", false, true, 0);
        reader.choice("policy_engine_mode", false, Choices.POLICY_ENGINE_MODES);
        reader.string("group", false, true, 0);
        if (version.hasMetaHide()) {
            reader.bool("meta_hide");
        }
        return reader;
    }
}
