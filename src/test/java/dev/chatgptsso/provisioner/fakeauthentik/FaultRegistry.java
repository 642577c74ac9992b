package dev.chatgptsso.provisioner.fakeauthentik;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.Fault;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Armed faults; each fires once, on the n-th matching request counted from when it was armed. */
final class FaultRegistry {

    private static final class Armed {
        final String method;
        final Pattern path;
        final int nth;
        final Fault fault;
        int seen;

        Armed(String method, Pattern path, int nth, Fault fault) {
            this.method = method;
            this.path = path;
            this.nth = nth;
            this.fault = fault;
        }
    }

    private final List<Armed> armed = new ArrayList<>();

    synchronized void add(String method, String pathRegex, int nth, Fault fault) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth is 1-based: " + nth);
        }
        armed.add(new Armed(method, Pattern.compile(pathRegex), nth, fault));
    }

    /**
     * Returns the fault that fires on this request, if any: the earliest armed one for which it is the n-th
     * match. A request taken by a fault does not count for the others, so faults armed one after another
     * for the same call fire on consecutive attempts (as a retry sees them); otherwise it counts for every
     * armed fault it matches.
     */
    synchronized Fault onRequest(String method, String path) {
        List<Armed> matching = new ArrayList<>();
        for (Armed candidate : armed) {
            if (methodMatches(candidate.method, method) && candidate.path.matcher(path).matches()) {
                matching.add(candidate);
            }
        }
        for (Armed candidate : matching) {
            if (candidate.seen + 1 == candidate.nth) {
                armed.remove(candidate);
                return candidate.fault;
            }
        }
        matching.forEach(candidate -> candidate.seen++);
        return null;
    }

    static boolean methodMatches(String wanted, String actual) {
        return wanted == null || wanted.equals("*") || wanted.equalsIgnoreCase(actual);
    }

    synchronized void clear() {
        armed.clear();
    }
}
