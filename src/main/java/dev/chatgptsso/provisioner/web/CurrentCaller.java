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

    /** 404 for a tenant outside the caller's scope: the same answer as for a tenant that does not exist. */
    public void requireTenant(String tenantId) {
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
