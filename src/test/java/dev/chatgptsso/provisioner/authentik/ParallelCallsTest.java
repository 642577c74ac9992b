package dev.chatgptsso.provisioner.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ParallelCallsTest {

    @Test
    void workOnThisThreadRunsBeforeItReturnsAndJoinsLikeStartedWork() {
        Thread[] ranOn = new Thread[1];
        CompletableFuture<String> done = ParallelCalls.onThisThread(() -> {
            ranOn[0] = Thread.currentThread();
            return "answer";
        });
        assertSame(Thread.currentThread(), ranOn[0]);
        assertTrue(done.isDone());
        assertEquals("answer", ParallelCalls.join(done));
    }

    @Test
    void aFailureOnThisThreadIsThrownWhenJoinedNotWhenStarted() {
        IllegalStateException failure = new IllegalStateException("refused");
        CompletableFuture<Object> failed = ParallelCalls.onThisThread(() -> {
            throw failure;
        });
        CompletableFuture<String> other = CompletableFuture.completedFuture("fine");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> ParallelCalls.joinAll(other, failed)),
                "the work's own exception, not a wrapper");
    }
}
