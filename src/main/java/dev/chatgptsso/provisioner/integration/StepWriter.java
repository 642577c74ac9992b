package dev.chatgptsso.provisioner.integration;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 * ({@link StepLog#finish()}), until its rows are in: the events a caller reads after an answer are complete.
 *
 * <p>What can be lost is what could be lost before plus the queue: rows were already committed without waiting
 * for the WAL flush, and a process that dies now also loses the rows it queued in its last moment (normally a few
 * milliseconds' worth). The integration's own state and authentik pks are not written here.
 */
@ApplicationScoped
class StepWriter {
    /** At most this many rows per statement (10 parameters each, far below PostgreSQL's 65,535). */
    static final int MAX_BATCH = 500;
    private static final long WAIT_MILLIS = 5_000;

    record Row(UUID integrationId, String step, String outcome, String method, String path, Integer status, Long durationMs,
            String detail, String actor, OffsetDateTime at) {}

    private final IntegrationStore store;
    private final List<Row> queued = new ArrayList<>();
    private final TreeMap<Long, CompletableFuture<Void>> waiters = new TreeMap<>();
    private long enqueued;
    private long written;
    private boolean stopping;
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

    /** Queues a row; the number returned is what {@link #awaitWritten} waits for. */
    synchronized long add(Row row) {
        if (stopping) {
            store.insertSteps(List.of(row));
            return 0;
        }
        queued.add(row);
        if (queued.size() == 1) {
            notifyAll(); // the writer waits only when the queue is empty
        }
        return ++enqueued;
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

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        try {
            thread.join(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                        return;
                    }
                }
                if (queued.isEmpty()) {
                    return;
                }
                int size = Math.min(queued.size(), MAX_BATCH);
                batch = new ArrayList<>(queued.subList(0, size));
                queued.subList(0, size).clear();
                last = enqueued - queued.size();
            }
            write(batch);
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

    /** One statement for the batch; if it fails, row by row, so one bad row does not take the others with it. */
    private void write(List<Row> batch) {
        try {
            store.insertSteps(batch);
        } catch (RuntimeException batchFailure) {
            int lost = 0;
            for (Row row : batch) {
                try {
                    store.insertSteps(List.of(row));
                } catch (RuntimeException e) {
                    lost++;
                }
            }
            if (lost > 0) {
                Log.errorf("step log: %d of %d rows could not be written (%s)", lost, batch.size(), batchFailure.getMessage());
            }
        }
    }
}
