package dev.chatgptsso.provisioner.authentik;

/**
 * The two shapes of authentik's API this service speaks (CHANGES.md, decision table).
 * Unknown fields are dropped silently by every version, so sending a newer field to an older
 * server does not fail; we still send only what the generation knows and compare read-backs.
 */
public enum ApiGeneration {
    /** 2024.12 – 2026.2: redirect URIs are {@code {matching_mode, url}} objects; no types, no {@code grant_types}. */
    V2024_12,
    /** 2026.5 and later: redirect URIs carry {@code redirect_uri_type}; providers need an explicit {@code grant_types}. */
    V2026_5;

    public boolean hasRedirectUriTypes() {
        return this == V2026_5;
    }

    public boolean requiresGrantTypes() {
        return this == V2026_5;
    }
}
