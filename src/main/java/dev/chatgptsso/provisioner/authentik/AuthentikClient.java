package dev.chatgptsso.provisioner.authentik;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Preview;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.PropertyMapping;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SamlProvider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.UsedBy;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.User;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.UserSelf;
import dev.chatgptsso.provisioner.telemetry.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * One authentik instance, as this service uses it. Translates every failure into an
 * {@link AuthentikCallException}, runs every call through the instance's {@link CallGuard}
 * (circuit breaker, retries of safe calls) and reports every attempt to the observer. A 404 on a
 * read comes back as an empty Optional: it means "not visible to this token", which the caller
 * must not read as "gone".
 */
public final class AuthentikClient {
    private final AuthentikApi api;
    private final AuthentikPublicApi publicApi;
    private final String apiBase;
    private final String publicBase;
    private final String authorization;
    private final CallGuard guard;
    private final AuthentikCallObserver observer;
    private final String instanceId;
    private final Telemetry telemetry;

    /**
     * {@code api} and {@code publicApi} are shared by every instance with the same TLS settings; the
     * instance is chosen per call by its base URLs and its token.
     */
    AuthentikClient(AuthentikApi api, AuthentikPublicApi publicApi, String apiBase, String publicBase, String authorization,
            CallGuard guard, AuthentikCallObserver observer, String instanceId, Telemetry telemetry) {
        this.api = api;
        this.publicApi = publicApi;
        this.apiBase = apiBase;
        this.publicBase = publicBase;
        this.authorization = authorization;
        this.guard = guard;
        this.observer = observer;
        this.instanceId = instanceId;
        this.telemetry = telemetry;
    }

    /** The same instance, reporting calls to {@code observer}. */
    public AuthentikClient observedBy(AuthentikCallObserver observer) {
        return new AuthentikClient(api, publicApi, apiBase, publicBase, authorization, guard, observer, instanceId, telemetry);
    }

    @Override
    public String toString() {
        return "AuthentikClient[" + apiBase + ", token=***]";
    }

    public String version() {
        return read("admin/version/", () -> api.version(apiBase, authorization)).versionCurrent();
    }

    public UserSelf currentUser() {
        return read("core/users/me/", () -> api.currentUser(apiBase, authorization)).user();
    }

    public Optional<User> userNamed(String username) {
        return read("core/users/?username=…", () -> api.users(apiBase, authorization, username)).results().stream()
                .filter(u -> username.equals(u.username())).findFirst();
    }

    public Optional<Flow> flow(String slug) {
        return find("flows/instances/" + slug + "/", () -> api.flow(apiBase, authorization, slug));
    }

    public List<CertificateKeyPair> certificateKeyPairsWithKeyNamed(String name) {
        return read("crypto/certificatekeypairs/?has_key=true&name=…", () -> api.certificateKeyPairs(apiBase, authorization, true, name)).results();
    }

    public Optional<CertificateKeyPair> certificateKeyPair(String pk) {
        return find("crypto/certificatekeypairs/" + pk + "/", () -> api.certificateKeyPair(apiBase, authorization, pk));
    }

    /** The key pair's certificate in PEM (REFERENCE 5). */
    public Optional<String> certificatePem(String pk) {
        return find("crypto/certificatekeypairs/" + pk + "/view_certificate/", () -> api.certificate(apiBase, authorization, pk))
                .map(AuthentikDtos.CertificateData::data);
    }

    public List<PropertyMapping> managedMappings(MappingKind kind, List<String> managedIds) {
        return read(kind.collection() + "?managed=…", () -> kind == MappingKind.SCOPE
                ? api.scopeMappings(apiBase, authorization, managedIds, null) : api.samlMappings(apiBase, authorization, managedIds, null)).results();
    }

    public List<PropertyMapping> mappingsNamed(MappingKind kind, String name) {
        return read(kind.collection() + "?name=…", () -> kind == MappingKind.SCOPE
                ? api.scopeMappings(apiBase, authorization, null, name) : api.samlMappings(apiBase, authorization, null, name)).results();
    }

    public Optional<PropertyMapping> mapping(MappingKind kind, String pk) {
        return find(kind.collection() + pk + "/", () -> kind == MappingKind.SCOPE ? api.scopeMapping(apiBase, authorization, pk) : api.samlMapping(apiBase, authorization, pk));
    }

    public PropertyMapping createMapping(MappingKind kind, Map<String, Object> fields) {
        return write("POST", kind.collection(), () -> kind == MappingKind.SCOPE ? api.createScopeMapping(apiBase, authorization, fields) : api.createSamlMapping(apiBase, authorization, fields));
    }

    public PropertyMapping patchMapping(MappingKind kind, String pk, Map<String, Object> fields) {
        return write("PATCH", kind.collection() + pk + "/",
                () -> kind == MappingKind.SCOPE ? api.patchScopeMapping(apiBase, authorization, pk, fields) : api.patchSamlMapping(apiBase, authorization, pk, fields));
    }

    /** Deletes the mapping; true if it was deleted, false if authentik did not know it (404). */
    public boolean deleteMapping(MappingKind kind, String pk) {
        return delete(kind.collection() + pk + "/", () -> kind == MappingKind.SCOPE ? api.deleteScopeMapping(apiBase, authorization, pk) : api.deleteSamlMapping(apiBase, authorization, pk));
    }

    /** Objects that reference the mapping (REFERENCE 14); empty Optional when the mapping is not visible. */
    public Optional<List<UsedBy>> mappingUsedBy(MappingKind kind, String pk) {
        return find(kind.collection() + pk + "/used_by/",
                () -> kind == MappingKind.SCOPE ? api.scopeMappingUsedBy(apiBase, authorization, pk) : api.samlMappingUsedBy(apiBase, authorization, pk));
    }

    public List<OAuth2Provider> oauth2ProvidersWithClientId(String clientId) {
        return read("providers/oauth2/?client_id=…", () -> api.oauth2Providers(apiBase, authorization, clientId, null)).results();
    }

    public List<OAuth2Provider> oauth2ProvidersNamed(String name) {
        return read("providers/oauth2/?name=…", () -> api.oauth2Providers(apiBase, authorization, null, name)).results();
    }

    public Optional<OAuth2Provider> oauth2Provider(int pk) {
        return find("providers/oauth2/" + pk + "/", () -> api.oauth2Provider(apiBase, authorization, pk));
    }

    public OAuth2Provider patchOAuth2Provider(int pk, Map<String, Object> fields) {
        return write("PATCH", "providers/oauth2/" + pk + "/", () -> api.patchOAuth2Provider(apiBase, authorization, pk, fields));
    }

    /** Deletes the provider; true if it was deleted, false if authentik did not know it (404). */
    public boolean deleteOAuth2Provider(int pk) {
        return delete("providers/oauth2/" + pk + "/", () -> api.deleteOAuth2Provider(apiBase, authorization, pk));
    }

    /** The ID token claims the provider would issue for {@code userPk}, or for the token's own user when null. */
    public Preview previewOAuth2User(int pk, Integer userPk) {
        return read("providers/oauth2/" + pk + "/preview_user/", () -> api.previewOAuth2User(apiBase, authorization, pk, userPk));
    }

    public List<SamlProvider> samlProvidersNamed(String name) {
        return read("providers/saml/?name=…", () -> api.samlProviders(apiBase, authorization, name)).results();
    }

    public Optional<SamlProvider> samlProvider(int pk) {
        return find("providers/saml/" + pk + "/", () -> api.samlProvider(apiBase, authorization, pk));
    }

    public SamlProvider patchSamlProvider(int pk, Map<String, Object> fields) {
        return write("PATCH", "providers/saml/" + pk + "/", () -> api.patchSamlProvider(apiBase, authorization, pk, fields));
    }

    public boolean deleteSamlProvider(int pk) {
        return delete("providers/saml/" + pk + "/", () -> api.deleteSamlProvider(apiBase, authorization, pk));
    }

    public Preview previewSamlUser(int pk, Integer userPk) {
        return read("providers/saml/" + pk + "/preview_user/", () -> api.previewSamlUser(apiBase, authorization, pk, userPk));
    }

    public Optional<Application> application(String slug) {
        return find("core/applications/" + slug + "/", () -> api.application(apiBase, authorization, slug));
    }

    /** Deletes the application; true if it was deleted, false if authentik did not know it (404). */
    public boolean deleteApplication(String slug) {
        return delete("core/applications/" + slug + "/", () -> api.deleteApplication(apiBase, authorization, slug));
    }

    /** Creates application and provider in one authentik transaction. authentik answers without ids: read them back. */
    public void createApplicationWithProvider(TransactionalApplicationRequest request) {
        write("PUT", "core/transactional/applications/", () -> api.createApplicationWithProvider(apiBase, authorization, request));
    }

    /** The public discovery document of an application, fetched without a token like ChatGPT does. */
    public Optional<JsonNode> discoveryDocument(String slug) {
        return find("/application/o/" + slug + "/.well-known/openid-configuration", () -> publicApi.discovery(publicBase, slug));
    }

    public Optional<JsonNode> jwks(String slug) {
        return find("/application/o/" + slug + "/jwks/", () -> publicApi.jwks(publicBase, slug));
    }

    /** A read: safe to repeat, so the guard may retry it. */
    private <T> T read(String path, Supplier<RestResponse<T>> invocation) {
        return call("GET", path, true, invocation);
    }

    /** A write: never repeated by the guard; callers make writes safe by looking up before creating. */
    private <T> T write(String method, String path, Supplier<RestResponse<T>> invocation) {
        return call(method, path, false, invocation);
    }

    private <T> T call(String method, String path, boolean idempotent, Supplier<RestResponse<T>> invocation) {
        String operation = Telemetry.operation(method, path);
        try {
            return attempt(method, path, operation, idempotent, invocation);
        } catch (AuthentikCallException e) {
            if (e.kind() == AuthentikCallException.Kind.CIRCUIT_OPEN) {
                // refused before an attempt: counted like one, so an open circuit shows in the call meters and the step log
                observer.called(method, path, null, 0, e);
                telemetry.endCall(telemetry.startCall(observer.traceParent(), instanceId, method, operation, observer.integrationTag()),
                        instanceId, operation, statusTag(e), 0, true);
            }
            throw e;
        }
    }

    private <T> T attempt(String method, String path, String operation, boolean idempotent, Supplier<RestResponse<T>> invocation) {
        return guard.run(method, path, idempotent, () -> {
            long start = System.nanoTime();
            Span span = telemetry.startCall(observer.traceParent(), instanceId, method, operation, observer.integrationTag());
            try (Scope ignored = span.makeCurrent()) {
                RestResponse<T> response = invocation.get();
                observer.called(method, path, response.getStatus(), elapsedMillis(start), null);
                telemetry.endCall(span, instanceId, operation, String.valueOf(response.getStatus()), System.nanoTime() - start, false);
                return response.getEntity();
            } catch (RuntimeException e) {
                AuthentikCallException failure = translate(method, path, e);
                observer.called(method, path, failure.status(), elapsedMillis(start), failure);
                telemetry.endCall(span, instanceId, operation, statusTag(failure), System.nanoTime() - start, true);
                throw failure;
            }
        });
    }

    /** authentik's HTTP status, or how the call failed without one: {@code timeout}, {@code unreachable}, {@code circuit-open}. */
    private static String statusTag(AuthentikCallException failure) {
        return failure.status() != null ? String.valueOf(failure.status()) : failure.kind().name().toLowerCase().replace('_', '-');
    }

    private <T> Optional<T> find(String path, Supplier<RestResponse<T>> invocation) {
        try {
            return Optional.ofNullable(read(path, invocation));
        } catch (AuthentikCallException e) {
            if (e.isStatus(404)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private boolean delete(String path, Supplier<RestResponse<Void>> invocation) {
        try {
            // a DELETE is idempotent: repeating it after a lost answer gives 404, read as "already gone"
            call("DELETE", path, true, invocation);
            return true;
        } catch (AuthentikCallException e) {
            if (e.isStatus(404)) {
                return false;
            }
            throw e;
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static AuthentikCallException translate(String method, String path, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthentikCallException already) {
                return already;
            }
            if (t instanceof AuthentikHttpStatusException http) {
                AuthentikErrors.Parsed parsed = AuthentikErrors.parse(http.body);
                return new AuthentikCallException(AuthentikCallException.Kind.HTTP, method, path, http.status, parsed.detail(),
                        parsed.fieldErrors(), http.retryAfterSeconds);
            }
            if (t instanceof jakarta.ws.rs.WebApplicationException web && web.getResponse() != null) {
                return new AuthentikCallException(AuthentikCallException.Kind.HTTP, method, path, web.getResponse().getStatus(), null,
                        List.of(), null);
            }
            if (t instanceof OutboundAddressException refused) {
                return new AuthentikCallException(AuthentikCallException.Kind.REFUSED, method, path, null, refused.getMessage(),
                        List.of(), null);
            }
            if (isTimeout(t)) {
                return new AuthentikCallException(AuthentikCallException.Kind.TIMEOUT, method, path, null, null, List.of(), null);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                break;
            }
        }
        return new AuthentikCallException(AuthentikCallException.Kind.UNREACHABLE, method, path, null, null, List.of(), null);
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof SocketTimeoutException || t instanceof TimeoutException
                || t.getClass().getSimpleName().contains("Timeout");
    }
}
