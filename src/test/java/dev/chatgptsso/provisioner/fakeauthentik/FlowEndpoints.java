package dev.chatgptsso.provisioner.fakeauthentik;

import java.util.List;

/** {@code flows/instances/} (REFERENCE 4): the list and the detail by slug. */
final class FlowEndpoints {

    private final FakeState state;

    FlowEndpoints(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        routes.add("GET", "/api/v3/flows/instances/", Routes.Access.LIST, this::list);
        routes.add("GET", "/api/v3/flows/instances/{slug}/", Routes.Access.DETAIL, this::detail);
    }

    private ApiResponse list(ApiRequest request) {
        List<com.fasterxml.jackson.databind.node.ObjectNode> all = state.flows.values().stream().map(f -> f.deepCopy()).toList();
        String flowUuid = request.queryParam("flow_uuid");
        return ApiResponse.ok(Listing.of(request, all)
                .exact("slug", "name", "designation", "denied_action")
                .where(flow -> flowUuid == null || flowUuid.equals(flow.get("pk").asText()))
                .search("slug", "name")
                .order("slug")
                .page(state.version));
    }

    private ApiResponse detail(ApiRequest request) {
        return state.flowBySlug(request.pathParam(0)).map(flow -> ApiResponse.ok(flow.deepCopy()))
                .orElseThrow(() -> ApiException.notFound("Flow"));
    }
}
