package dev.chatgptsso.provisioner.integration;

import jakarta.enterprise.context.ApplicationScoped;

/** The protocol-specific steps of an integration. */
@ApplicationScoped
class Steps {
    private final OidcSteps oidc;
    private final SamlSteps saml;

    Steps(OidcSteps oidc, SamlSteps saml) {
        this.oidc = oidc;
        this.saml = saml;
    }

    ProtocolSteps of(Integration integration) {
        return of(integration.protocol);
    }

    ProtocolSteps of(String protocol) {
        return "saml".equals(protocol) ? saml : oidc;
    }

    OidcSteps oidc() {
        return oidc;
    }
}
