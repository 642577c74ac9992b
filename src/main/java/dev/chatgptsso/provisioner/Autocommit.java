package dev.chatgptsso.provisioner;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.Map;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.jpa.HibernateHints;

/**
 * Database work that is one statement, or one read and one version-checked write, done through a stateless
 * Hibernate session in autocommit: no persistence context, no dirty checking, no JTA transaction. On the
 * request path these are most of an operation's database work, and a JTA transaction with a session around
 * a single row cost more CPU than the row.
 *
 * <p>Inside an active JTA transaction the session's connection joins it, so {@link #session} is only for
 * callers that either hold no transaction or want to join the one they hold.
 */
@ApplicationScoped
public class Autocommit {
    private final SessionFactory sessionFactory;
    private final AgroalDataSource dataSource;
    /** The session of the caller's transaction, for the work done inside one. */
    private final Session transactionSession;

    Autocommit(SessionFactory sessionFactory, AgroalDataSource dataSource, Session transactionSession) {
        this.sessionFactory = sessionFactory;
        this.dataSource = dataSource;
        this.transactionSession = transactionSession;
    }

    /** True when no JTA transaction is active, so each statement commits on its own. */
    public static boolean outsideTransaction() {
        return !QuarkusTransaction.isActive();
    }

    /**
     * Now, to the microsecond PostgreSQL keeps: a record answered from memory shows the times a read of its row
     * would (the driver sends nanoseconds, the column rounds them away).
     */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * One SQL statement straight on JDBC, committed on its own: with no transaction active in autocommit, inside
     * one in a transaction of its own (it never joins the caller's).
     */
    public int statement(String sql, Object... parameters) {
        return onItsOwn(() -> execute(sql, parameters));
    }

    /**
     * One SQL statement with a {@code returning} clause of one number, committed on its own like {@link #statement}:
     * the number from the first row it returned, or empty when it touched no row.
     */
    public OptionalLong statementReturningLong(String sql, Object... parameters) {
        return onItsOwn(() -> executeReturningLong(sql, parameters));
    }

    /** Runs JDBC work that must commit on its own: as it is outside a transaction, in a transaction of its own inside one. */
    private static <R> R onItsOwn(Supplier<R> work) {
        return outsideTransaction() ? work.get() : QuarkusTransaction.requiringNew().call(work::get);
    }

    private OptionalLong executeReturningLong(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database statement failed: " + e.getSQLState(), e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private int execute(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("database statement failed: " + e.getSQLState(), e);
        }
    }

    public <R> R session(Function<StatelessSession, R> work) {
        try (StatelessSession session = sessionFactory.openStatelessSession()) {
            return work.apply(session);
        }
    }

    /** A primary-key read: a detached copy, never a managed entity. */
    public <T> Optional<T> get(Class<T> type, Object id) {
        return Optional.ofNullable(session(session -> session.get(type, id)));
    }

    /**
     * A primary-key read, checked by nobody's dirty checking: outside a transaction a detached copy from a stateless
     * session, inside one a read-only load in the transaction's session.
     */
    public <T> Optional<T> find(Class<T> type, Object id) {
        if (outsideTransaction()) {
            return get(type, id);
        }
        return Optional.ofNullable(transactionSession.find(type, id, Map.of(HibernateHints.HINT_READ_ONLY, true)));
    }

    /** One INSERT, committed when it returns (outside a transaction). */
    public <T> T insert(T entity) {
        return session(session -> {
            session.insert(entity);
            return entity;
        });
    }

    /** One INSERT committed on its own: in autocommit outside a transaction, in a transaction of its own inside one. */
    public <T> void insertOnItsOwn(T entity) {
        if (outsideTransaction()) {
            insert(entity);
        } else {
            QuarkusTransaction.requiringNew().run(() -> {
                transactionSession.persist(entity);
                transactionSession.flush();
            });
        }
    }
}
