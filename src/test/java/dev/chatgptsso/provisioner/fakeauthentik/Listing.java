package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Filtering, search, ordering and authentik's pagination envelope (REFERENCE 3) for list endpoints. */
final class Listing {

    private final ApiRequest request;
    private List<ObjectNode> items;

    private Listing(ApiRequest request, List<ObjectNode> items) {
        this.request = request;
        this.items = new ArrayList<>(items);
    }

    static Listing of(ApiRequest request, List<ObjectNode> renderedItems) {
        return new Listing(request, renderedItems);
    }

    /**
     * Whether a stored object can pass the exact filters on {@code copiedFields}, fields its view copies unchanged:
     * list endpoints render only these candidates (rendering looks across the store), then filter the views as usual.
     */
    static boolean candidate(ApiRequest request, ObjectNode stored, String... copiedFields) {
        for (String field : copiedFields) {
            String wanted = request.queryParam(field);
            if (wanted != null && stored.has(field) && !wanted.equals(Json.text(stored, field))) {
                return false;
            }
        }
        return true;
    }

    /** Exact-match filters: {@code ?field=value} compares with the rendered field's text. */
    Listing exact(String... fields) {
        for (String field : fields) {
            String wanted = request.queryParam(field);
            if (wanted != null) {
                items.removeIf(item -> !wanted.equals(Json.text(item, field)));
            }
        }
        return this;
    }

    /** Repeatable filter: keeps items whose field equals any of the given values. */
    Listing anyOf(String parameter, String field) {
        List<String> wanted = request.queryParams(parameter);
        if (!wanted.isEmpty()) {
            items.removeIf(item -> !wanted.contains(Json.text(item, field)));
        }
        return this;
    }

    Listing bool(String parameter, String field) {
        Boolean wanted = request.booleanQueryParam(parameter);
        if (wanted != null) {
            items.removeIf(item -> item.path(field).asBoolean() != wanted);
        }
        return this;
    }

    Listing isNull(String parameter, String field) {
        Boolean wanted = request.booleanQueryParam(parameter);
        if (wanted != null) {
            items.removeIf(item -> item.path(field).isNull() != wanted);
        }
        return this;
    }

    /** Repeatable filter on a list-valued field: keeps items whose list contains any given value. */
    Listing containsAny(String parameter, String field) {
        List<String> wanted = request.queryParams(parameter);
        if (!wanted.isEmpty()) {
            items.removeIf(item -> Json.strings(item.get(field)).stream().noneMatch(wanted::contains));
        }
        return this;
    }

    Listing where(Predicate<ObjectNode> keep) {
        items.removeIf(keep.negate());
        return this;
    }

    /** {@code ?search=} : case-insensitive substring over the given fields. */
    Listing search(String... fields) {
        String term = request.queryParam("search");
        if (term != null && !term.isBlank()) {
            String needle = term.toLowerCase(Locale.ROOT);
            items.removeIf(item -> {
                for (String field : fields) {
                    String value = Json.text(item, field);
                    if (value != null && value.toLowerCase(Locale.ROOT).contains(needle)) return false;
                }
                return true;
            });
        }
        return this;
    }

    /** {@code ?ordering=a,-b}, else the endpoint's default ordering. */
    Listing order(String... defaultOrdering) {
        String requested = request.queryParam("ordering");
        String[] fields = requested == null || requested.isBlank() ? defaultOrdering : requested.split(",");
        Comparator<ObjectNode> comparator = (a, b) -> 0;
        for (String spec : fields) {
            boolean descending = spec.startsWith("-");
            String field = descending ? spec.substring(1) : spec;
            Comparator<ObjectNode> byField = Comparator.comparing(item -> sortKey(item.get(field)),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            comparator = comparator.thenComparing(descending ? byField.reversed() : byField);
        }
        items.sort(comparator);
        return this;
    }

    private static String sortKey(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (value.isNumber()) return String.format("%020d", value.asLong());
        return value.asText();
    }

    /** The paginated envelope; an out-of-range page is DRF's 404 "Invalid page.". */
    ObjectNode page(AuthentikVersion version) {
        int defaultSize = version.hasNewPagination() ? 20 : 100;
        int pageSize = parsePositive(request.queryParam("page_size"), defaultSize);
        if (version.hasNewPagination()) {
            pageSize = Math.min(pageSize, 100);
        }
        int count = items.size();
        int totalPages = Math.max(1, (count + pageSize - 1) / pageSize);
        String pageParam = request.queryParam("page");
        int page;
        if (pageParam == null) {
            page = 1;
        } else if ("last".equals(pageParam)) {
            page = totalPages;
        } else {
            page = parsePositive(pageParam, -1);
        }
        if (page < 1 || page > totalPages) {
            throw ApiException.detail(404, "Invalid page.");
        }
        int from = (page - 1) * pageSize;
        int to = Math.min(count, from + pageSize);

        ObjectNode pagination = Json.object();
        pagination.put("next", page < totalPages ? page + 1 : 0);
        pagination.put("previous", page > 1 ? page - 1 : 0);
        pagination.put("count", count);
        pagination.put("current", page);
        pagination.put("total_pages", totalPages);
        pagination.put("start_index", count == 0 ? 0 : from + 1);
        pagination.put("end_index", to);
        ArrayNode results = Json.array();
        items.subList(from, to).forEach(results::add);
        ObjectNode envelope = Json.object();
        envelope.set("pagination", pagination);
        envelope.set("results", results);
        envelope.set("autocomplete", Json.object());
        return envelope;
    }

    private static int parsePositive(String text, int fallback) {
        if (text == null) return fallback;
        try {
            int value = Integer.parseInt(text.trim());
            return value > 0 ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
