package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** {@code admin/version/}, {@code core/users/...} and {@code root/config/} (REFERENCE 1, 2). */
final class CoreEndpoints {

    private final FakeState state;

    CoreEndpoints(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        routes.add("GET", "/api/v3/admin/version/", Routes.Access.AUTHENTICATED, this::version);
        routes.add("GET", "/api/v3/core/users/me/", Routes.Access.AUTHENTICATED, this::me);
        routes.add("GET", "/api/v3/core/users/", Routes.Access.LIST, this::users);
        routes.add("GET", "/api/v3/core/users/{id}/", Routes.Access.DETAIL, this::user);
        routes.add("GET", "/api/v3/root/config/", Routes.Access.PUBLIC, this::config);
    }

    private ApiResponse version(ApiRequest request) {
        String current = state.reportedVersion();
        ObjectNode body = Json.object();
        body.put("version_current", current);
        body.put("version_latest", current);
        body.put("version_latest_valid", true);
        body.put("build_hash", "");
        body.put("outdated", false);
        body.put("outpost_outdated", false);
        return ApiResponse.ok(body);
    }

    private ApiResponse me(ApiRequest request) {
        ObjectNode user = userView(request.user);
        user.put("is_active", true);
        user.set("groups", request.user.superuser()
                ? Json.array().add(Json.object().put("name", SeedData.ADMIN_GROUP_NAME).put("pk", SeedData.stableUuid("group:admins")))
                : Json.array());
        user.set("roles", Json.array());
        user.set("settings", Json.object());
        // authentik lists the user's global permissions here; superusers pass every check anyway
        user.set("system_permissions", Json.array());
        ObjectNode body = Json.object();
        body.set("user", user);
        return ApiResponse.ok(body);
    }

    private ApiResponse users(ApiRequest request) {
        List<ObjectNode> all = state.users.stream().map(CoreEndpoints::userView).toList();
        return ApiResponse.ok(Listing.of(request, all).exact("username", "email", "name").search("username", "name", "email")
                .order("username").page(state.version));
    }

    private ApiResponse user(ApiRequest request) {
        String id = request.pathParam(0);
        if (!id.matches("\\d{1,9}")) throw ApiException.notFound("User");
        return state.user(Integer.parseInt(id)).map(u -> ApiResponse.ok(userView(u)))
                .orElseThrow(() -> ApiException.notFound("User"));
    }

    private ApiResponse config(ApiRequest request) {
        ObjectNode body = Json.object();
        body.set("error_reporting", Json.object().put("enabled", false).put("sentry_dsn", "").put("environment", "")
                .put("send_pii", false).put("traces_sample_rate", 0.0));
        body.set("capabilities", Json.arrayOf(List.of("can_save_media", "can_impersonate")));
        body.put("cache_timeout", 300);
        body.put("cache_timeout_flows", 300);
        body.put("cache_timeout_policies", 300);
        return ApiResponse.ok(body);
    }

    static ObjectNode userView(FakeUser user) {
        ObjectNode view = Json.object();
        view.put("pk", user.pk());
        view.put("username", user.username());
        view.put("name", user.name());
        view.put("is_active", true);
        view.put("is_superuser", user.superuser());
        view.put("email", user.email());
        view.put("avatar", "data:image/svg+xml;base64,");
        view.put("uid", user.uid());
        view.put("uuid", user.uuid());
        view.put("type", "internal");
        ObjectNode attributes = Json.object();
        user.attributes().forEach(attributes::put);
        view.set("attributes", attributes);
        return view;
    }
}
