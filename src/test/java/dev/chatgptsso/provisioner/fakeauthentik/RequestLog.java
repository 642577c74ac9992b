package dev.chatgptsso.provisioner.fakeauthentik;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.RecordedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Every request received, in arrival order; the status is filled in when the answer goes out. */
final class RequestLog {

    static final class Entry {
        final String method;
        final String path;
        final String query;
        final String body;
        /** -1 while in flight, 0 when the connection was dropped without an answer */
        volatile int status = -1;
        /** wall clock (epoch microseconds) when the request arrived and when its answer (or drop) went out; 0 while in flight */
        final long receivedMicros = nowMicros();
        volatile long answeredMicros;

        Entry(String method, String path, String query, String body) {
            this.method = method;
            this.path = path;
            this.query = query;
            this.body = body;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized Entry add(String method, String path, String query, String body) {
        Entry entry = new Entry(method, path, query, body);
        entries.add(entry);
        return entry;
    }

    synchronized List<RecordedRequest> snapshot() {
        List<RecordedRequest> copy = new ArrayList<>();
        for (Entry entry : entries) {
            copy.add(new RecordedRequest(entry.method, entry.path, entry.query, entry.body, entry.status));
        }
        return copy;
    }

    synchronized long count(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return entries.stream()
                .filter(e -> FaultRegistry.methodMatches(method, e.method) && pattern.matcher(e.path).matches())
                .count();
    }

    /** Timed view of the entries from index {@code from} on (for the standalone fake's admin endpoint). */
    synchronized List<FakeAuthentik.TimedRequest> timed(int from) {
        List<FakeAuthentik.TimedRequest> copy = new ArrayList<>();
        for (int i = Math.max(0, from); i < entries.size(); i++) {
            Entry e = entries.get(i);
            copy.add(new FakeAuthentik.TimedRequest(i, e.method, e.path, e.status, e.receivedMicros, e.answeredMicros));
        }
        return copy;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Epoch microseconds; comparable across processes on one machine (same wall clock). */
    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    synchronized void clear() {
        entries.clear();
    }
}
