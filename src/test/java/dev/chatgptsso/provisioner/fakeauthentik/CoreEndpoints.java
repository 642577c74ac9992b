package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** {@code admin/version/}, {@code core/users/...} and {@code root/config/} (REFERENCE 1, 2). */
final class CoreEndpoints {

    /** When the seeded users were created (the fake keeps no history, so every date is this one). */
    private static final String SEEDED_AT = "2026-01-01T00:00:00Z";

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

    /**
     * {@code SessionUser}: the token's user as {@code UserSelf} (a narrower serializer than {@code User}: no
     * {@code uuid}, {@code attributes}, {@code path}, dates or {@code *_obj} lists; groups as {name, pk}). From
     * 2026.8 also {@code UserSelf.is_current} and the session's {@code users} list (CHANGES row 36); a token
     * request has no browser session with further accounts, so the list holds just this user
     * <b>[unverified-final]</b>.
     */
    private ApiResponse me(ApiRequest request) {
        ObjectNode user = userSelf(request.user);
        ObjectNode body = Json.object();
        body.set("user", user);
        if (state.version.has2026_8Additions()) {
            body.set("users", Json.array().add(user.deepCopy()));
        }
        return ApiResponse.ok(body);
    }

    private ObjectNode userSelf(FakeUser fakeUser) {
        ObjectNode user = Json.object();
        user.put("pk", fakeUser.pk());
        user.put("username", fakeUser.username());
        user.put("name", fakeUser.name());
        user.put("is_active", true);
        user.put("is_superuser", fakeUser.superuser());
        if (state.version.has2026_8Additions()) {
            user.put("is_current", true);
        }
        user.set("groups", fakeUser.superuser()
                ? Json.array().add(Json.object().put("name", SeedData.ADMIN_GROUP_NAME).put("pk", SeedData.stableUuid("group:admins")))
                : Json.array());
        user.set("roles", Json.array());
        user.put("email", fakeUser.email());
        user.put("avatar", "data:image/svg+xml;base64,");
        user.put("uid", fakeUser.uid());
        user.set("settings", Json.object());
        user.put("type", "internal");
        // authentik lists the user's global permissions here; superusers pass every check anyway
        user.set("system_permissions", Json.array());
        return user;
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

    /** The full {@code User} serializer of {@code core/users/}: every field, read-only ones included. */
    static ObjectNode userView(FakeUser user) {
        ObjectNode view = Json.object();
        view.put("pk", user.pk());
        view.put("username", user.username());
        view.put("name", user.name());
        view.put("is_active", true);
        view.putNull("last_login");
        view.put("date_joined", SEEDED_AT);
        view.put("is_superuser", user.superuser());
        boolean admin = user.superuser();
        view.set("groups", admin ? Json.array().add(SeedData.stableUuid("group:admins")) : Json.array());
        view.set("groups_obj", admin
                ? Json.array().add(Json.object().put("pk", SeedData.stableUuid("group:admins")).put("num_pk", 1)
                        .put("name", SeedData.ADMIN_GROUP_NAME).put("is_superuser", true).set("attributes", Json.object()))
                : Json.array());
        view.set("roles", Json.array());
        view.set("roles_obj", Json.array());
        view.put("email", user.email());
        view.put("avatar", "data:image/svg+xml;base64,");
        ObjectNode attributes = Json.object();
        user.attributes().forEach(attributes::put);
        view.set("attributes", attributes);
        view.put("uid", user.uid());
        view.put("path", "users");
        view.put("type", "internal");
        view.put("uuid", user.uuid());
        view.put("password_change_date", SEEDED_AT);
        view.put("last_updated", SEEDED_AT);
        return view;
    }
}
