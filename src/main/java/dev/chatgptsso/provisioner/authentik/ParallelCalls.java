package dev.chatgptsso.provisioner.authentik;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Runs independent authentik calls side by side, so a step costs one round trip instead of one per
 * call. Failures come back as thrown by the work, not wrapped; when several fail, the first one
 * joined wins and the others are only waited for.
 */
@ApplicationScoped
public class ParallelCalls {
    private final ManagedExecutor executor;

    ParallelCalls(ManagedExecutor executor) {
        this.executor = executor;
    }

    public <T> CompletableFuture<T> start(Supplier<T> work) {
        return executor.supplyAsync(work);
    }

    /**
     * Runs {@code work} now, on this thread, as a future that joins like the started ones: for work that does not wait
     * (an answer already cached), or for the last of a group, whose caller would otherwise only wait for it.
     */
    public static <T> CompletableFuture<T> onThisThread(Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits for every future, then returns the value of {@code future} or throws its failure. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Waits until all have finished (successfully or not), then throws the first failure in argument order. */
    public static void joinAll(CompletableFuture<?>... futures) {
        CompletableFuture.allOf(futures).exceptionally(e -> null).join();
        for (CompletableFuture<?> future : futures) {
            join(future);
        }
    }
}
