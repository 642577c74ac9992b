package dev.chatgptsso.provisioner.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chatgptsso.provisioner.authentik.AuthentikCallException.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthentikErrorsTest {

    @Test
    void fieldErrorsKeepAuthentikFieldNamesIncludingNestedParts() {
        AuthentikErrors.Parsed parsed = AuthentikErrors.parse("""
                {"provider": {"name": ["State is set to must_created and object exists already"]},
                 "redirect_uris": [{}, {"matching_mode": ["\\"x\\" is not a valid choice."]}],
                 "non_field_errors": ["With a signing keypair selected, at least one must be selected."]}""");
        assertNull(parsed.detail());
        assertEquals(List.of(
                new FieldError("provider.name", "State is set to must_created and object exists already"),
                new FieldError("redirect_uris[1].matching_mode", "\"x\" is not a valid choice."),
                new FieldError("non_field_errors", "With a signing keypair selected, at least one must be selected.")),
                parsed.fieldErrors());
    }

    @Test
    void detailIsReadAndNonJsonBodiesAreIgnored() {
        assertEquals("Token invalid/expired", AuthentikErrors.parse("{\"detail\": \"Token invalid/expired\"}").detail());
        assertEquals(List.of(), AuthentikErrors.parse("<html>502 Bad Gateway</html>").fieldErrors());
        assertNull(AuthentikErrors.parse(null).detail());
    }

    @Test
    void versionsParseAndPickTheirGeneration() {
        assertEquals(ApiGeneration.V2024_12, AuthentikVersion.parse("2024.12.3").orElseThrow().generation());
        assertEquals(ApiGeneration.V2024_12, AuthentikVersion.parse("2026.2.2").orElseThrow().generation());
        assertEquals(ApiGeneration.V2026_5, AuthentikVersion.parse("2026.5.0-rc1").orElseThrow().generation());
        assertEquals(ApiGeneration.V2026_5, AuthentikVersion.parse("2026.8.3").orElseThrow().generation());
        assertEquals(false, AuthentikVersion.parse("2024.10.4").orElseThrow().isSupported());
        assertEquals(true, AuthentikVersion.parse("garbage").isEmpty());
    }
}
