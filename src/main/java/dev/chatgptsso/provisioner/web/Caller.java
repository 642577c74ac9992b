package dev.chatgptsso.provisioner.web;

/** Who is calling: the id of the API key used (never the key itself) and what it may see. */
public record Caller(String keyId, String tenantScope) {

    public static Caller admin(String keyId) {
        return new Caller(keyId, null);
    }

    public static Caller tenant(String keyId, String tenantId) {
        return new Caller(keyId, tenantId);
    }

    public boolean isAdmin() {
        return tenantScope == null;
    }

    public boolean canSee(String tenantId) {
        return isAdmin() || tenantScope.equals(tenantId);
    }
}
