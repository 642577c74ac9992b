package dev.chatgptsso.provisioner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.postgresql.util.PSQLException;

/**
 * The service's database work: one SQL statement at a time on JDBC, each committed on its own (autocommit). Every
 * write of the service is one statement (a version-checked UPDATE where a row is changed from a copy read before),
 * so no transaction ever spans two statements or an authentik call.
 *
 * <p>Failures are {@link UniqueViolation} for a unique index that refused a row and {@link Failure} otherwise; their
 * messages name the SQL state, never a parameter's value (some columns hold ciphertexts).
 */
@ApplicationScoped
public class Database {
    /** Reads and writes the jsonb columns (the service's own values: lists and maps of strings). */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;

    Database(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Reads one row of a result into a value. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** A statement PostgreSQL refused, other than a unique violation. */
    public static class Failure extends IllegalStateException {
        Failure(String message, SQLException cause) {
            super(message, cause);
        }
    }

    /** A unique index refused a row; {@link #constraint} names the index. */
    public static final class UniqueViolation extends Failure {
        private final String constraint;

        UniqueViolation(String constraint, SQLException cause) {
            super("unique violation on " + constraint, cause);
            this.constraint = constraint;
        }

        public String constraint() {
            return constraint;
        }
    }

    /**
     * Now, to the microsecond PostgreSQL keeps: a record answered from memory shows the times a read of its row
     * would (the driver sends nanoseconds, the column rounds them away).
     */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** One INSERT, UPDATE or DELETE; the number of rows it touched. */
    public int update(String sql, Object... parameters) {
        return execute(sql, parameters, PreparedStatement::executeUpdate);
    }

    /** Every row of a query, read by {@code reader}. */
    public <T> List<T> query(String sql, RowReader<T> reader, Object... parameters) {
        return execute(sql, parameters, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                List<T> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(reader.read(rows));
                }
                return values;
            }
        });
    }

    /** The first row of a query (also of a statement with a {@code returning} clause), or empty. */
    public <T> Optional<T> first(String sql, RowReader<T> reader, Object... parameters) {
        return execute(sql, parameters, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(reader.read(rows)) : Optional.empty();
            }
        });
    }

    @FunctionalInterface
    private interface StatementWork<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    /** The statement on a pooled connection in autocommit: bound, run by {@code work}, closed with its connection. */
    private <T> T execute(String sql, Object[] parameters, StatementWork<T> work) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return work.run(statement);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** The number in the first column of the first row (a count, or a {@code returning} clause), or empty without a row. */
    public OptionalLong firstLong(String sql, Object... parameters) {
        return first(sql, row -> row.getLong(1), parameters).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** A nullable integer column. */
    public static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    /** A nullable bigint column. */
    public static Long bigint(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    public static UUID uuid(ResultSet row, String column) throws SQLException {
        return row.getObject(column, UUID.class);
    }

    public static OffsetDateTime timestamp(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class);
    }

    /** A value as the text of a jsonb parameter (bind it as {@code ?::jsonb}). */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a " + value.getClass().getSimpleName() + " cannot be written as JSON", e);
        }
    }

    /** A jsonb column read as {@code type}. */
    public static <T> T json(ResultSet row, String column, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(row.getString(column), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("column " + column + " does not hold a " + type.getType().getTypeName(), e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private static Failure translate(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            String constraint = e instanceof PSQLException psql && psql.getServerErrorMessage() != null
                    ? psql.getServerErrorMessage().getConstraint() : null;
            return new UniqueViolation(constraint == null ? "an unnamed unique index" : constraint, e);
        }
        return new Failure("database statement failed: SQL state " + e.getSQLState(), e);
    }
}
