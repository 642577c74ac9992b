package dev.chatgptsso.provisioner.fakeauthentik;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An authentik release number such as {@code 2026.5.6} or {@code 2026.5.0-rc1}, compared by year, month, patch. */
record AuthentikVersion(int year, int month, int patch, String text) implements Comparable<AuthentikVersion> {

    private static final Pattern FORMAT = Pattern.compile("(\\d{4})\\.(\\d{1,2})\\.(\\d+)(-[A-Za-z0-9.]+)?");

    /** The oldest release the fake models: list-of-object redirect URIs appeared in 2024.12. */
    static final AuthentikVersion OLDEST_SUPPORTED = parse("2024.12.0");

    static AuthentikVersion parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an authentik version (YEAR.MONTH.PATCH): " + text);
        }
        return new AuthentikVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), text.trim());
    }

    static AuthentikVersion supported(String text) {
        AuthentikVersion version = parse(text);
        if (version.compareTo(OLDEST_SUPPORTED) < 0) {
            throw new IllegalArgumentException("the fake authentik models 2024.12 and later, not " + text);
        }
        return version;
    }

    boolean atLeast(int year, int month) {
        return this.year > year || (this.year == year && this.month >= month);
    }

    boolean before(int year, int month) {
        return !atLeast(year, month);
    }

    /** Schema file authentik published for this release line (see REFERENCE.md section 0). */
    String schemaFileName() {
        if (before(2026, 5)) {
            return "schema-2026.2.2.yml";
        }
        if (before(2026, 8)) {
            return "schema-2026.5.6.yml";
        }
        return "schema-2026.8.3.yml";
    }

    /**
     * True when {@link #schemaFileName} is this release line's own schema. Releases 2024.12 to 2025.12 are checked
     * against the 2026.2.2 file, whose responses lack fields those releases really return (e.g.
     * {@code private_key_type}), so their answers are not checked against it.
     */
    boolean hasOwnSchemaFile() {
        AuthentikVersion schema = parse(schemaFileName().replaceAll("^schema-|\\.yml$", ""));
        return schema.year == year && schema.month == month;
    }

    // ---- feature switches, one per row of CHANGES.md that the fake models ----

    boolean hasRedirectUriTypeAndGrantTypes() { return atLeast(2026, 5); }
    boolean hasReservedSlugs() { return atLeast(2025, 8); }
    boolean limitsSlugLength() { return before(2025, 12); }
    boolean hasNewPagination() { return atLeast(2025, 12); }
    boolean hasKeyType() { return atLeast(2025, 12); }
    boolean hasSamlIssuerOverride() { return atLeast(2026, 5); }
    boolean hasSamlUnifiedUrls() { return atLeast(2026, 5); }
    boolean samlMetadataNeedsApplication() { return atLeast(2026, 5); }
    boolean hasMetaHide() { return atLeast(2026, 5); }
    boolean hasWritableMetaIcon() { return atLeast(2025, 12); }
    boolean hasThemedIconUrls() { return atLeast(2026, 2); }
    boolean hasLogoutUri() { return atLeast(2025, 10); }
    boolean hasBackchannelLogoutUri() { return atLeast(2025, 8) && before(2025, 10); }
    boolean hasSamlSingleLogout() { return atLeast(2025, 10); }
    boolean hasSamlSignLogoutResponse() { return atLeast(2026, 5); }
    boolean hasSamlDefaultNameIdPolicy() { return atLeast(2025, 8); }
    boolean hasSamlAuthnContextMapping() { return atLeast(2025, 4); }
    boolean emailVerifiedIsFalse() { return atLeast(2025, 10); }
    boolean hasTokenExchangeGrant() { return atLeast(2026, 8); }
    boolean has2026_8Additions() { return atLeast(2026, 8); }

    @Override
    public int compareTo(AuthentikVersion other) {
        if (year != other.year) return Integer.compare(year, other.year);
        if (month != other.month) return Integer.compare(month, other.month);
        return Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return text;
    }
}
