package dev.chatgptsso.provisioner.web;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link ApiKeyFilter}. */
@RequestScoped
public class CurrentCaller {
    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "send Authorization: Bearer <api key>");
        }
        return caller;
    }

    /** What every tenant id is ({@code TenantApi.CreateTenant}); anything else cannot name a tenant. */
    private static final java.util.regex.Pattern TENANT_ID = java.util.regex.Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    /**
     * 404 for a tenant outside the caller's scope: the same answer as for a tenant that does not exist. A path
     * segment that cannot be a tenant id is answered the same way before it reaches the database (PostgreSQL refuses
     * NUL characters with an error) and is never echoed.
     */
    public void requireTenant(String tenantId) {
        if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
            get();
            throw ProblemException.notFound("tenant");
        }
        if (!get().canSee(tenantId)) {
            throw ProblemException.notFound("tenant '" + tenantId + "'");
        }
    }

    public void requireAdmin() {
        if (!get().isAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only admin API keys may do this");
        }
    }
}
