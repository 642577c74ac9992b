package dev.chatgptsso.provisioner.chatgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoginRedirectUriTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://auth.openai.com/sso/oidc/callback/abc", "https://chatgpt.com/auth/callback?connection=x_1"})
    void exactHttpsUrisAreAccepted(String uri) {
        assertEquals(Optional.empty(), LoginRedirectUri.problem(uri));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://a.example/cb", "https://a.example/cb#x", "https://a.example/*", "https://a.example/cb$",
            "https://a.example/[a-z]", "https://a.example/cb|https://evil", "https://a.example/c b", "https:///cb", "mailto:x@y",
            "https://temp.temp", "HTTPS://a.example/cb", "https://a.example/cb\n"})
    void everythingElseIsRefused(String uri) {
        assertTrue(LoginRedirectUri.problem(uri).isPresent(), uri);
    }
}
