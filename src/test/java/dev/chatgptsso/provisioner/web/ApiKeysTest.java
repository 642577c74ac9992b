package dev.chatgptsso.provisioner.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static final String ADMIN_DIGEST = "944650a7cd0f9e14d5c4fb15edbffb7fa45fb9ed36a4fa9be3d7e5476ae51bd9";

    @Test
    void entriesParseWithTheirScopes() {
        List<ApiKeys.Entry> entries = ApiKeys.parse(List.of("ops:" + ADMIN_DIGEST + ":admin", "portal:" + ADMIN_DIGEST + ":tenant:acme"));
        assertTrue(entries.get(0).caller().isAdmin());
        assertEquals("acme", entries.get(1).caller().tenantScope());
        assertFalse(entries.get(1).caller().canSee("globex"));
    }

    @Test
    void malformedEntriesStopStartUpWithoutEchoingSecrets() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiKeys.parse(List.of("ops:plain-secret:admin")));
        assertFalse(e.getMessage().contains("plain-secret"));
        assertThrows(IllegalStateException.class, () -> ApiKeys.parse(List.of("ops:" + ADMIN_DIGEST + ":root")));
        assertThrows(IllegalStateException.class, () -> ApiKeys.parse(List.of("ops:" + ADMIN_DIGEST + ":tenant:Bad Id")));
    }

    @Test
    void bearerHeadersAreParsedStrictly() {
        assertEquals("abc", ApiKeyFilter.bearer("Bearer abc").orElseThrow());
        assertEquals("abc", ApiKeyFilter.bearer("bearer abc").orElseThrow());
        assertTrue(ApiKeyFilter.bearer("Basic abc").isEmpty());
        assertTrue(ApiKeyFilter.bearer("Bearer ").isEmpty());
        assertTrue(ApiKeyFilter.bearer(null).isEmpty());
    }
}
