package dev.chatgptsso.provisioner.tenant;

import dev.chatgptsso.provisioner.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The {@code tenant} table. */
@ApplicationScoped
public class TenantRepository {
    private static final String COLUMNS = "id, display_name, created_at";

    private final Database database;

    TenantRepository(Database database) {
        this.database = database;
    }

    /** One INSERT; the primary key refuses an id that exists ({@link Database.UniqueViolation}). */
    public void insert(Tenant tenant) {
        database.update("insert into tenant (" + COLUMNS + ") values (?, ?, ?)", tenant.id, tenant.displayName, tenant.createdAt);
    }

    public Optional<Tenant> find(String id) {
        return database.first("select " + COLUMNS + " from tenant where id = ?", TenantRepository::read, id);
    }

    public List<Tenant> all() {
        return database.query("select " + COLUMNS + " from tenant order by id", TenantRepository::read);
    }

    private static Tenant read(ResultSet row) throws SQLException {
        Tenant tenant = new Tenant();
        tenant.id = row.getString("id");
        tenant.displayName = row.getString("display_name");
        tenant.createdAt = Database.timestamp(row, "created_at");
        return tenant;
    }
}
