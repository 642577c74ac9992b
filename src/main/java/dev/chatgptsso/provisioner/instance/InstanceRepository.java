package dev.chatgptsso.provisioner.instance;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.chatgptsso.provisioner.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code authentik_instance} table: every change to an instance is one UPDATE of the columns it concerns. */
@ApplicationScoped
public class InstanceRepository {
    static final String NAME_UNIQUE = "authentik_instance_name_unique";
    private static final String COLUMNS = "id, tenant_id, name, base_url, api_token_ciphertext, verify_tls, version, status, "
            + "ca_bundle_pem, owned_mappings, checked_at, created_at";
    private static final TypeReference<HashMap<String, String>> OWNED_MAPPINGS = new TypeReference<>() {};

    private final Database database;

    InstanceRepository(Database database) {
        this.database = database;
    }

    public List<AuthentikInstance> ofTenant(String tenantId) {
        return database.query("select " + COLUMNS + " from authentik_instance where tenant_id = ? order by created_at, id",
                InstanceRepository::read, tenantId);
    }

    /** The tenant's instance by id; another tenant's id is simply not found. */
    public Optional<AuthentikInstance> ofTenant(String tenantId, UUID id) {
        return database.first("select " + COLUMNS + " from authentik_instance where id = ? and tenant_id = ?",
                InstanceRepository::read, id, tenantId);
    }

    public Optional<AuthentikInstance> find(UUID id) {
        return database.first("select " + COLUMNS + " from authentik_instance where id = ?", InstanceRepository::read, id);
    }

    public List<UUID> allIds() {
        return database.query("select id from authentik_instance order by created_at, id", row -> Database.uuid(row, "id"));
    }

    /** One INSERT; a second instance of the same name in the tenant is refused by {@value #NAME_UNIQUE}. */
    public void add(AuthentikInstance instance) {
        database.update("insert into authentik_instance (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)",
                instance.id, instance.tenantId, instance.name, instance.baseUrl, instance.apiTokenCiphertext, instance.verifyTls,
                instance.version, instance.status, instance.caBundlePem, Database.json(instance.ownedMappings), instance.checkedAt,
                instance.createdAt);
    }

    /** Whether the tenant has an instance of this name. */
    public boolean nameTaken(String tenantId, String name) {
        return database.firstLong("select 1 from authentik_instance where tenant_id = ? and name = ? limit 1", tenantId, name).isPresent();
    }

    public void recordVersion(UUID id, String version, OffsetDateTime checkedAt) {
        database.update("update authentik_instance set version = ?, checked_at = ? where id = ?", version, checkedAt, id);
    }

    /** Replaces the token's ciphertext if it is still {@code expected}; false when another writer changed it first. */
    public boolean replaceCiphertext(UUID id, String expected, String replacement) {
        return database.update("update authentik_instance set api_token_ciphertext = ? where id = ? and api_token_ciphertext = ?",
                replacement, id, expected) == 1;
    }

    public void recordOwnedMapping(UUID id, String purpose, String pk) {
        database.update("update authentik_instance set owned_mappings = owned_mappings || jsonb_build_object(?::text, ?::text) where id = ?",
                purpose, pk, id);
    }

    public void forgetOwnedMapping(UUID id, String purpose) {
        database.update("update authentik_instance set owned_mappings = owned_mappings - ?::text where id = ?", purpose, id);
    }

    private static AuthentikInstance read(ResultSet row) throws SQLException {
        AuthentikInstance instance = new AuthentikInstance();
        instance.id = Database.uuid(row, "id");
        instance.tenantId = row.getString("tenant_id");
        instance.name = row.getString("name");
        instance.baseUrl = row.getString("base_url");
        instance.apiTokenCiphertext = row.getString("api_token_ciphertext");
        instance.verifyTls = row.getBoolean("verify_tls");
        instance.version = row.getString("version");
        instance.status = row.getString("status");
        instance.caBundlePem = row.getString("ca_bundle_pem");
        instance.ownedMappings = Database.json(row, "owned_mappings", OWNED_MAPPINGS);
        instance.checkedAt = Database.timestamp(row, "checked_at");
        instance.createdAt = Database.timestamp(row, "created_at");
        return instance;
    }
}
