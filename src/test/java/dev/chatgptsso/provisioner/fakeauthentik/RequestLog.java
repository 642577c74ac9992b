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

    synchronized void clear() {
        entries.clear();
    }
}
