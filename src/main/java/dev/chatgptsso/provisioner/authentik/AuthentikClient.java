package dev.chatgptsso.provisioner.authentik;

import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.ScopeMapping;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.ScopeMappingRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.UserSelf;
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
 * {@link AuthentikCallException} and reports every call to the observer. A 404 on a read comes
 * back as an empty Optional: it means "not visible to this token", which the caller must not
 * read as "gone".
 */
public final class AuthentikClient {
    private final AuthentikApi api;
    private final AuthentikCallObserver observer;

    AuthentikClient(AuthentikApi api, AuthentikCallObserver observer) {
        this.api = api;
        this.observer = observer;
    }

    /** The same instance, reporting calls to {@code observer}. */
    public AuthentikClient observedBy(AuthentikCallObserver observer) {
        return new AuthentikClient(api, observer);
    }

    public String version() {
        return call("GET", "admin/version/", api::version).versionCurrent();
    }

    public UserSelf currentUser() {
        return call("GET", "core/users/me/", api::currentUser).user();
    }

    public Optional<Flow> flow(String slug) {
        return find("GET", "flows/instances/" + slug + "/", () -> api.flow(slug));
    }

    public List<CertificateKeyPair> certificateKeyPairsWithKeyNamed(String name) {
        return call("GET", "crypto/certificatekeypairs/?has_key=true&name=…", () -> api.certificateKeyPairs(true, name)).results();
    }

    public Optional<CertificateKeyPair> certificateKeyPair(String pk) {
        return find("GET", "crypto/certificatekeypairs/" + pk + "/", () -> api.certificateKeyPair(pk));
    }

    public List<ScopeMapping> managedScopeMappings(List<String> managedIds) {
        return call("GET", "propertymappings/provider/scope/?managed=…", () -> api.scopeMappings(managedIds, null)).results();
    }

    public List<ScopeMapping> scopeMappingsNamed(String name) {
        return call("GET", "propertymappings/provider/scope/?name=…", () -> api.scopeMappings(null, name)).results();
    }

    public Optional<ScopeMapping> scopeMapping(String pk) {
        return find("GET", "propertymappings/provider/scope/" + pk + "/", () -> api.scopeMapping(pk));
    }

    public ScopeMapping createScopeMapping(ScopeMappingRequest request) {
        return call("POST", "propertymappings/provider/scope/", () -> api.createScopeMapping(request));
    }

    public ScopeMapping patchScopeMapping(String pk, Map<String, Object> fields) {
        return call("PATCH", "propertymappings/provider/scope/" + pk + "/", () -> api.patchScopeMapping(pk, fields));
    }

    public List<OAuth2Provider> oauth2ProvidersWithClientId(String clientId) {
        return call("GET", "providers/oauth2/?client_id=…", () -> api.oauth2Providers(clientId)).results();
    }

    public Optional<OAuth2Provider> oauth2Provider(int pk) {
        return find("GET", "providers/oauth2/" + pk + "/", () -> api.oauth2Provider(pk));
    }

    public OAuth2Provider patchOAuth2Provider(int pk, Map<String, Object> fields) {
        return call("PATCH", "providers/oauth2/" + pk + "/", () -> api.patchOAuth2Provider(pk, fields));
    }

    /** Deletes the provider; true if it was deleted, false if authentik did not know it (404). */
    public boolean deleteOAuth2Provider(int pk) {
        return delete("providers/oauth2/" + pk + "/", () -> api.deleteOAuth2Provider(pk));
    }

    public Optional<Application> application(String slug) {
        return find("GET", "core/applications/" + slug + "/", () -> api.application(slug));
    }

    /** Deletes the application; true if it was deleted, false if authentik did not know it (404). */
    public boolean deleteApplication(String slug) {
        return delete("core/applications/" + slug + "/", () -> api.deleteApplication(slug));
    }

    /** Creates application and provider in one authentik transaction. authentik answers without ids: read them back. */
    public void createApplicationWithProvider(TransactionalApplicationRequest request) {
        call("PUT", "core/transactional/applications/", () -> api.createApplicationWithProvider(request));
    }

    private <T> T call(String method, String path, Supplier<RestResponse<T>> invocation) {
        long start = System.nanoTime();
        try {
            RestResponse<T> response = invocation.get();
            observer.called(method, path, response.getStatus(), elapsedMillis(start), null);
            return response.getEntity();
        } catch (RuntimeException e) {
            AuthentikCallException failure = translate(method, path, e);
            observer.called(method, path, failure.status(), elapsedMillis(start), failure);
            throw failure;
        }
    }

    private <T> Optional<T> find(String method, String path, Supplier<RestResponse<T>> invocation) {
        try {
            return Optional.ofNullable(call(method, path, invocation));
        } catch (AuthentikCallException e) {
            if (e.isStatus(404)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private boolean delete(String path, Supplier<RestResponse<Void>> invocation) {
        try {
            call("DELETE", path, invocation);
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
                return new AuthentikCallException(AuthentikCallException.Kind.HTTP, method, path, http.status, parsed.detail(), parsed.fieldErrors());
            }
            if (t instanceof jakarta.ws.rs.WebApplicationException web && web.getResponse() != null) {
                return new AuthentikCallException(AuthentikCallException.Kind.HTTP, method, path, web.getResponse().getStatus(), null, List.of());
            }
            if (isTimeout(t)) {
                return new AuthentikCallException(AuthentikCallException.Kind.TIMEOUT, method, path, null, null, List.of());
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                break;
            }
        }
        return new AuthentikCallException(AuthentikCallException.Kind.UNREACHABLE, method, path, null, null, List.of());
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof SocketTimeoutException || t instanceof TimeoutException
                || t.getClass().getSimpleName().contains("Timeout");
    }
}
