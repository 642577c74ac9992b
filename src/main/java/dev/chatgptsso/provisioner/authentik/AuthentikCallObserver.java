package dev.chatgptsso.provisioner.authentik;

/** Told about every call to authentik: what was called, how it ended and how long it took. Never bodies. */
@FunctionalInterface
public interface AuthentikCallObserver {
    AuthentikCallObserver NONE = (method, path, status, millis, failure) -> {};

    /**
     * @param status authentik's HTTP status, or null when there was no answer
     * @param failure null on success, else the translated failure
     */
    void called(String method, String path, Integer status, long millis, AuthentikCallException failure);

    /** The tracing context the call's span belongs under (the current step's). */
    default io.opentelemetry.context.Context traceParent() {
        return io.opentelemetry.context.Context.current();
    }

    /** The integration the calls are made for, as a span attribute; null when none. */
    default String integrationTag() {
        return null;
    }
}
