package dev.chatgptsso.provisioner.authentik;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import io.smallrye.faulttolerance.api.Guard;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * SmallRye Fault Tolerance around every call to one authentik instance: a circuit breaker of its
 * own (one dead instance fails fast without slowing the others) and retries with exponential
 * backoff and jitter for calls that are safe to repeat, plus throttled calls, whose
 * {@code Retry-After} is waited for. Connect and read timeouts are the REST client's.
 */
final class CallGuard {
    private final Guard guard;

    private CallGuard(Guard guard) {
        this.guard = guard;
    }

    static CallGuard forInstance(String name, ProvisionerConfig.Authentik config) {
        long maxRetryAfterMillis = config.maxRetryAfter().toMillis();
        Guard guard = Guard.create()
                .withDescription("authentik " + name)
                .withRetry()
                    .maxRetries(config.retries())
                    .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(config.retryJitter().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(config.readTimeout().toMillis() * (config.retries() + 2L) + maxRetryAfterMillis, ChronoUnit.MILLIS)
                    .withExponentialBackoff().factor(2).maxDelay(2, ChronoUnit.SECONDS).done()
                    .whenException(e -> e instanceof AuthentikCallException failure && failure.isRetryable())
                    .beforeRetry((Throwable e) -> waitForRetryAfter(e, maxRetryAfterMillis))
                    .done()
                .withCircuitBreaker()
                    .requestVolumeThreshold(config.circuitBreaker().requestVolume())
                    .failureRatio(config.circuitBreaker().failureRatio())
                    .delay(config.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
                    .when(e -> e instanceof AuthentikCallException failure && failure.isInstanceFailure())
                    .done()
                .build();
        return new CallGuard(guard);
    }

    @SuppressWarnings("unchecked")
    <T> T run(String method, String path, boolean idempotent, Supplier<T> call) {
        Callable<Object> attempt = () -> {
            try {
                return call.get();
            } catch (AuthentikCallException e) {
                throw idempotent ? e.ofIdempotentCall() : e;
            }
        };
        try {
            return (T) guard.call(attempt, Object.class);
        } catch (CircuitBreakerOpenException e) {
            throw AuthentikCallException.circuitOpen(method, path);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw AuthentikClient.translate(method, path, e);
        }
    }

    private static void waitForRetryAfter(Throwable failure, long maxMillis) {
        if (failure instanceof AuthentikCallException call && call.retryAfterSeconds() != null) {
            try {
                Thread.sleep(Math.min(call.retryAfterSeconds() * 1000L, maxMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
