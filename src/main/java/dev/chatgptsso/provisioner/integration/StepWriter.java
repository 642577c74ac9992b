package dev.chatgptsso.provisioner.integration;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Writes step-log rows off the operations' threads. Rows are queued in the order they happen; one writer thread
 * inserts whatever is queued in one multi-row statement, so concurrent operations share a statement and an
 * authentik call no longer waits for a database round trip of its own. An operation waits once, before it answers
 * ({@link StepLog#finish()}), until its rows are in: the events a caller reads after an answer are complete. Until
 * an operation waits, the writer lets the first queued row linger for up to {@value #LINGER_MILLIS} ms, so that the
 * rows of the calls still under way (their own and other operations') join the same statement. An operation that
 * ends with a change to its record takes back its rows that are still queued ({@link #take}) and writes them in that
 * change's statement instead ({@link StepLog#complete}).
 *
 * <p>What can be lost is what could be lost before plus the queue: rows were already committed without waiting
 * for the WAL flush, and a process that dies now also loses the rows it queued in its last moment (at most the linger's
 * worth, plus a statement's time, while no operation waits). A database that is unreachable is waited for (the batch is retried); the queue is bounded,
 * so then operations wait for room and fail as a failed direct write would have. The integration's own state and
 * authentik pks are not written here.
 */
@ApplicationScoped
class StepWriter {
    /** At most this many rows per statement (11 parameters each, far below PostgreSQL's 65,535). */
    static final int MAX_BATCH = 500;
    /** At most this many rows wait; beyond it an operation waits for room (the database is down or far behind). */
    static final int MAX_QUEUED = 20_000;
    private static final long WAIT_MILLIS = 5_000;
    private static final long RETRY_MILLIS = 200;
    /** How long a queued row may wait for others to share its statement while no operation waits for it. */
    static final long LINGER_MILLIS = 20;

    record Row(UUID integrationId, String step, String outcome, String method, String path, Integer status, Long durationMs,
            String detail, String actor, OffsetDateTime at) {}

    /** A queued row, its sequence number, the operation's log that queued it, and when ({@link System#nanoTime}). */
    record Queued(long sequence, Row row, Object origin, long queuedAtNanos) {}

    private final IntegrationStore store;
    private final List<Queued> queued = new ArrayList<>();
    private final TreeMap<Long, CompletableFuture<Void>> waiters = new TreeMap<>();
    private long enqueued;
    private long written;
    private boolean stopping;
    private boolean stopped;
    private Thread thread;

    StepWriter(IntegrationStore store) {
        this.store = store;
    }

    @PostConstruct
    void start() {
        thread = new Thread(this::run, "step-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a row; the number returned is what {@link #awaitWritten} waits for. When the queue is full it waits for
     * room, and after a few seconds fails the operation as a failed direct write would have. After the writer has
     * stopped (shutdown), rows are written directly.
     */
    long add(Row row) {
        return add(row, null);
    }

    /** As {@link #add(Row)}, remembering which operation's log queued the row, so that it can {@link #take} it back. */
    long add(Row row, Object origin) {
        synchronized (this) {
            if (!stopped) {
                return enqueue(row, origin);
            }
        }
        store.insertSteps(List.of(row));
        return 0;
    }

    private long enqueue(Row row, Object origin) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (queued.size() >= MAX_QUEUED) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IllegalStateException("step log: " + queued.size() + " rows wait to be written; the database is not keeping up");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to queue a step-log row");
            }
        }
        queued.add(new Queued(++enqueued, row, origin, System.nanoTime()));
        if (queued.size() == 1 || queued.size() == MAX_BATCH) {
            notifyAll(); // the writer waits for a first row, then lingers until a batch is full or someone waits
        }
        return enqueued;
    }

    /**
     * Removes and returns the rows {@code origin} queued that the writer has not taken yet, in their order; the caller
     * writes them itself. Rows of {@code origin} the writer has already taken are not returned: wait for them with
     * {@link #awaitWritten}.
     */
    synchronized List<Queued> take(Object origin) {
        List<Queued> taken = new ArrayList<>();
        queued.removeIf(entry -> {
            boolean mine = entry.origin() == origin;
            if (mine) {
                taken.add(entry);
            }
            return mine;
        });
        if (!taken.isEmpty()) {
            notifyAll(); // room in the queue
        }
        return taken;
    }

    /** Waits until every row up to {@code sequence} has been written (or given up on), at most a few seconds. */
    void awaitWritten(long sequence) {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (written >= sequence) {
                return;
            }
            // one future per waiter, completed by the writer when its rows are in: only the waiters that are done wake
            done = waiters.computeIfAbsent(sequence, s -> new CompletableFuture<>());
            notifyAll(); // the writer stops lingering
        }
        try {
            done.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Log.warnf("step log: rows still queued after %d ms; answering without waiting for them", WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Writes what is queued, then stops; rows that come later are written directly. Only if the writer exists. */
    void onStop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        try {
            thread.join(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!queued.isEmpty()) {
                Log.errorf("step log: %d rows were still queued at shutdown and are not written", queued.size());
            }
        }
    }

    private void run() {
        while (true) {
            List<Row> batch;
            long last;
            synchronized (this) {
                while (queued.isEmpty() && !stopping) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // only a shutdown ends the writer; it is told by the stopping flag
                    }
                }
                if (queued.isEmpty()) {
                    stopped = true;
                    return;
                }
                linger();
                if (queued.isEmpty()) {
                    continue; // an operation took its rows back while the writer lingered
                }
                int size = Math.min(queued.size(), MAX_BATCH);
                List<Queued> head = queued.subList(0, size);
                batch = new ArrayList<>(size);
                head.forEach(entry -> batch.add(entry.row()));
                // every row queued before this one is written, in this batch, or was taken back by its operation
                last = head.get(size - 1).sequence();
                head.clear();
                notifyAll(); // room in the queue
            }
            try {
                write(batch);
            } catch (Throwable e) {
                Log.errorf("step log: %d rows could not be written (%s)", batch.size(), e.toString());
            }
            List<CompletableFuture<Void>> done = new ArrayList<>();
            synchronized (this) {
                written = last;
                var upToLast = waiters.headMap(last, true);
                upToLast.values().forEach(done::add);
                upToLast.clear();
            }
            done.forEach(future -> future.complete(null));
        }
    }

    /**
     * Waits until the first queued row has lingered its time, a batch is full, an operation waits for its rows or the
     * writer stops. When the first row is taken back, the next one's time counts; when none is left, it returns.
     */
    private void linger() {
        long lingerNanos = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        long left;
        while (!queued.isEmpty() && waiters.isEmpty() && queued.size() < MAX_BATCH && !stopping
                && (left = queued.get(0).queuedAtNanos() + lingerNanos - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                // only a shutdown ends the writer; it is told by the stopping flag
            }
        }
    }

    /**
     * One statement for the batch. A refused row (a data or constraint error, SQLSTATE class 22 or 23) is found by
     * writing the batch row by row, so it does not take the others with it; any other failure (the database is
     * unreachable, the pool is exhausted) is retried with the whole batch until it succeeds or the writer stops.
     */
    private void write(List<Row> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.insertSteps(batch);
                return;
            } catch (RuntimeException failure) {
                if (refusedRow(failure)) {
                    writeOneByOne(batch, failure);
                    return;
                }
                boolean giveUp;
                synchronized (this) {
                    giveUp = stopping;
                }
                if (giveUp) {
                    throw failure;
                }
                if (attempt == 1) {
                    Log.warnf("step log: writing %d rows failed (%s); retrying", batch.size(), failure.getMessage());
                }
                sleep(Math.min(RETRY_MILLIS * attempt, WAIT_MILLIS));
            }
        }
    }

    private void writeOneByOne(List<Row> batch, RuntimeException batchFailure) {
        int lost = 0;
        for (Row row : batch) {
            try {
                store.insertSteps(List.of(row));
            } catch (RuntimeException e) {
                lost++;
            }
        }
        if (lost > 0) {
            Log.errorf("step log: %d of %d rows were refused by the database (%s)", lost, batch.size(), batchFailure.getMessage());
        }
    }

    static boolean refusedRow(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
