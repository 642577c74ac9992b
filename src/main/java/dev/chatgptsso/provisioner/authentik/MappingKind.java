package dev.chatgptsso.provisioner.authentik;

/** The two kinds of property mapping the ChatGPT recipes use; each has its own collection in the API. */
public enum MappingKind {
    /** OAuth2 scope mappings: {@code propertymappings/provider/scope/} (2024.8+). */
    SCOPE("propertymappings/provider/scope/"),
    /** SAML attribute mappings: {@code propertymappings/provider/saml/} (2024.8+). */
    SAML("propertymappings/provider/saml/");

    private final String collection;

    MappingKind(String collection) {
        this.collection = collection;
    }

    public String collection() {
        return collection;
    }
}
