package dev.chatgptsso.provisioner.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A request body is exactly one JSON value: {@code {}{}} or {@code {...} garbage} is malformed JSON, not the
 * first value with the rest ignored (Jackson's default). Unknown fields are refused by
 * {@code quarkus.jackson.fail-on-unknown-properties}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
