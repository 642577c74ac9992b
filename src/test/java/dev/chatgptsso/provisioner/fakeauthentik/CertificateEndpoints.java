package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** {@code crypto/certificatekeypairs/} (REFERENCE 5): list, detail and the certificate in PEM. */
final class CertificateEndpoints {

    private final FakeState state;

    CertificateEndpoints(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        routes.add("GET", "/api/v3/crypto/certificatekeypairs/", Routes.Access.LIST, this::list);
        routes.add("GET", "/api/v3/crypto/certificatekeypairs/{kp_uuid}/", Routes.Access.DETAIL, this::detail);
        routes.add("GET", "/api/v3/crypto/certificatekeypairs/{kp_uuid}/view_certificate/", Routes.Access.DETAIL,
                this::viewCertificate);
    }

    private ApiResponse list(ApiRequest request) {
        Views views = new Views(state, request.baseUrl);
        List<ObjectNode> all = state.keyPairs.values().stream().map(views::keyPair).toList();
        Listing listing = Listing.of(request, all)
                .bool("has_key", "private_key_available")
                .exact("name", "managed")
                .search("name");
        if (state.version.hasKeyType()) {
            listing.anyOf("key_type", "key_type");
        }
        return ApiResponse.ok(listing.order("name").page(state.version));
    }

    private KeyPairEntry find(ApiRequest request) {
        String pk = request.pathParam(0);
        KeyPairEntry keyPair = FieldReader.isUuid(pk) ? state.keyPairs.get(FieldReader.canonicalUuid(pk)) : null;
        if (keyPair == null) {
            throw ApiException.notFound("Certificate-Key Pair");
        }
        return keyPair;
    }

    private ApiResponse detail(ApiRequest request) {
        return ApiResponse.ok(new Views(state, request.baseUrl).keyPair(find(request)));
    }

    private ApiResponse viewCertificate(ApiRequest request) {
        KeyPairEntry keyPair = find(request);
        if (request.hasQueryParam("download")) {
            return ApiResponse.raw(200, "application/x-pem-file", keyPair.pem(),
                    Map.of("Content-Disposition", "attachment; filename=\"" + keyPair.name() + "_certificate.pem\""));
        }
        return ApiResponse.ok(Json.object().put("data", keyPair.pem()));
    }
}
