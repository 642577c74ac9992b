package dev.chatgptsso.provisioner.chatgpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ChatGPT's Login redirect URI (OIDC) or ACS URL (SAML) as the finalise step accepts it: one
 * exact, absolute https URI.
 * Wildcards and regular-expression syntax are refused, because a permissive redirect rule lets an
 * attacker receive authorization codes.
 */
public final class LoginRedirectUri {
    private static final int MAX_LENGTH = 2000;
    private static final Pattern FORBIDDEN = Pattern.compile("[*^$()\\[\\]{}|\\\\\\s\\p{Cntrl}<>\"`]");

    private LoginRedirectUri() {}

    private static final Pattern AUDIENCE = Pattern.compile("^[\\x21-\\x7e]{1,2000}$");

    /** Why a SAML audience (ChatGPT's SP entity ID) is not acceptable: printable, no whitespace, at most 2000 characters. */
    public static Optional<String> audienceProblem(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of("is required");
        }
        return AUDIENCE.matcher(value).matches() ? Optional.empty()
                : Optional.of("must be 1-2000 printable characters without whitespace");
    }

    /** Why the value is not acceptable, or empty when it is. */
    public static Optional<String> problem(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of("is required");
        }
        if (value.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (FORBIDDEN.matcher(value).find()) {
            return Optional.of("must be an exact URI: wildcards, regular-expression syntax, whitespace and control characters are not allowed");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute https URI");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must be an absolute https URI with a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain user information");
        }
        if (uri.getRawFragment() != null || value.contains("#")) {
            return Optional.of("must not contain a fragment");
        }
        if (ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI.equals(value) || "temp.temp".equals(uri.getHost())) {
            return Optional.of("must be ChatGPT's URI, not the temporary one");
        }
        return Optional.empty();
    }
}
