package dev.chatgptsso.provisioner.authentik;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An authentik release number as {@code admin/version/} reports it, e.g. {@code 2026.5.6} or {@code 2026.5.0-rc1}. */
public record AuthentikVersion(int year, int month, int patch, String raw) implements Comparable<AuthentikVersion> {
    private static final Pattern FORMAT = Pattern.compile("^(\\d{4})\\.(\\d{1,2})(?:\\.(\\d+))?(?:[-+].*)?$");

    public static final AuthentikVersion OLDEST_SUPPORTED = new AuthentikVersion(2024, 12, 0, "2024.12.0");
    /** First release with redirect URI types and {@code grant_types}. */
    public static final AuthentikVersion REDIRECT_URI_TYPES = new AuthentikVersion(2026, 5, 0, "2026.5.0");

    public static Optional<AuthentikVersion> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(raw.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return Optional.of(new AuthentikVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch, raw.trim()));
    }

    public boolean isSupported() {
        return compareTo(OLDEST_SUPPORTED) >= 0;
    }

    public ApiGeneration generation() {
        if (!isSupported()) {
            throw new IllegalStateException("authentik " + raw + " is older than " + OLDEST_SUPPORTED.raw);
        }
        return compareTo(REDIRECT_URI_TYPES) >= 0 ? ApiGeneration.V2026_5 : ApiGeneration.V2024_12;
    }

    @Override
    public int compareTo(AuthentikVersion other) {
        int c = Integer.compare(year, other.year);
        if (c == 0) {
            c = Integer.compare(month, other.month);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return raw;
    }
}
