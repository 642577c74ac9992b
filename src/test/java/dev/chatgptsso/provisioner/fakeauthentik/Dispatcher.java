package dev.chatgptsso.provisioner.fakeauthentik;

import java.util.List;
import java.util.Optional;

/**
 * Routes a request to its handler with authentik's authentication and permission rules, and decides what a
 * request that broke the OpenAPI schema gets: authentik's own error if its handler rejects the request too,
 * otherwise {@code 400 {"detail": "schema violation: ..."}} with the state rolled back.
 */
final class Dispatcher {

    private final FakeState state;
    private final Routes routes = new Routes();

    Dispatcher(FakeState state) {
        this.state = state;
        new CoreEndpoints(state).register(routes);
        new FlowEndpoints(state).register(routes);
        new CertificateEndpoints(state).register(routes);
        new PropertyMappingEndpoints(state).register(routes);
        new OAuth2ProviderEndpoints(state).register(routes);
        new SamlProviderEndpoints(state).register(routes);
        new ApplicationEndpoints(state).register(routes);
        new TransactionalEndpoint(state).register(routes);
        new DiscoveryEndpoint(state).register(routes);
    }

    ApiResponse dispatch(ApiRequest request, String authorization, List<String> violations) {
        synchronized (state) {
            Optional<Routes.Match> match = routes.match(request.path);
            if (match.isEmpty()) {
                return ApiResponse.json(404, Json.object().put("detail", "Not found."));
            }
            request.pathParams = match.get().pathParams();
            Routes.Operation operation = match.get().route().operations().get(request.method);
            boolean publicPath = match.get().route().operations().values().stream()
                    .allMatch(op -> op.access() == Routes.Access.PUBLIC);
            Routes.Access access = operation != null ? operation.access()
                    : publicPath ? Routes.Access.PUBLIC : Routes.Access.AUTHENTICATED;

            // DRF authenticates before it looks for the method handler, so 403 comes before 405
            ApiResponse authFailure = authenticate(request, authorization, access);
            if (authFailure != null) {
                return authFailure;
            }
            if (operation == null) {
                return ApiResponse.json(405, Json.object().put("detail", "Method \"" + request.method + "\" not allowed."));
            }
            ApiResponse denied = checkPermission(request, access);
            if (denied != null) {
                return denied;
            }
            if (violations.isEmpty()) {
                return invoke(operation, request);
            }
            FakeState.Snapshot before = state.snapshot();
            ApiResponse response = invoke(operation, request);
            if (response.status() < 400 || response.status() >= 500) {
                state.restore(before);
                return ApiResponse.json(400, Json.object().put("detail", "schema violation: " + String.join("; ", violations)));
            }
            return response;
        }
    }

    private ApiResponse invoke(Routes.Operation operation, ApiRequest request) {
        FakeState.Snapshot before = request.method.equals("GET") ? null : state.snapshot();
        try {
            return operation.handler().apply(request);
        } catch (ApiException e) {
            if (before != null) state.restore(before);
            return ApiResponse.of(e);
        } catch (RuntimeException e) {
            if (before != null) state.restore(before);
            e.printStackTrace();
            return ApiResponse.json(500, Json.object().put("detail", "fake authentik failure: " + e));
        }
    }

    /** REFERENCE 1.1 / 1.3: only "Bearer <key>" counts; authentik answers 403, never 401. */
    private ApiResponse authenticate(ApiRequest request, String authorization, Routes.Access access) {
        String[] parts = authorization == null ? new String[0] : authorization.trim().split("\\s+", 2);
        boolean credentials = parts.length == 2 && parts[0].equalsIgnoreCase("bearer") && !parts[1].isBlank();
        if (!credentials) {
            return access == Routes.Access.PUBLIC ? null
                    : ApiResponse.json(403, Json.object().put("detail", "Authentication credentials were not provided."));
        }
        Optional<FakeUser> user = state.userByToken(parts[1].trim());
        if (user.isEmpty()) {
            // a token that is sent is checked even on public endpoints
            return ApiResponse.json(403, Json.object().put("detail", "Token invalid/expired"));
        }
        request.user = user.get();
        return null;
    }

    /** Users without permissions: lists and writes 403, single objects invisible (404). */
    private static ApiResponse checkPermission(ApiRequest request, Routes.Access access) {
        if (request.user == null || request.user.superuser()) {
            return null;
        }
        return switch (access) {
            case LIST, WRITE -> ApiResponse.of(ApiException.permissionDenied());
            case DETAIL -> ApiResponse.json(404, Json.object().put("detail", "Not found."));
            case PUBLIC, AUTHENTICATED -> null;
        };
    }
}
