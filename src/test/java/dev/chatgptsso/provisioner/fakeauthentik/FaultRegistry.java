package dev.chatgptsso.provisioner.fakeauthentik;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.Fault;

import java.util.ArrayList;
import java.util.Iterator;
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

    /** Counts this request against every armed fault it matches; returns the fault that fires, if any. */
    synchronized Fault onRequest(String method, String path) {
        Fault firing = null;
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed candidate = it.next();
            if (!methodMatches(candidate.method, method) || !candidate.path.matcher(path).matches()) {
                continue;
            }
            candidate.seen++;
            if (candidate.seen == candidate.nth && firing == null) {
                firing = candidate.fault;
                it.remove();
            }
        }
        return firing;
    }

    static boolean methodMatches(String wanted, String actual) {
        return wanted == null || wanted.equals("*") || wanted.equalsIgnoreCase(actual);
    }

    synchronized void clear() {
        armed.clear();
    }
}
