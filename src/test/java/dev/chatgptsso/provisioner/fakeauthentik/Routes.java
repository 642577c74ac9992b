package dev.chatgptsso.provisioner.fakeauthentik;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The route table: path templates like {@code /api/v3/providers/oauth2/{id}/} with handlers per method. */
final class Routes {

    /** What the caller must be allowed to do; decides the 403/404 answers for users without permissions. */
    enum Access {
        /** no token needed (a token that is sent must still be valid) */
        PUBLIC,
        /** any valid token */
        AUTHENTICATED,
        /** list endpoints: 403 without the model's view permission */
        LIST,
        /** single-object reads: the object is invisible (404) without view permission */
        DETAIL,
        /** writes: 403 without the model's add/change/delete permission */
        WRITE
    }

    record Operation(Access access, Function<ApiRequest, ApiResponse> handler) {
    }

    record PathRoute(String template, Pattern pattern, Map<String, Operation> operations) {
    }

    record Match(PathRoute route, List<String> pathParams) {
    }

    private final List<PathRoute> routes = new ArrayList<>();

    Routes add(String method, String template, Access access, Function<ApiRequest, ApiResponse> handler) {
        PathRoute route = routes.stream().filter(r -> r.template().equals(template)).findFirst().orElseGet(() -> {
            PathRoute created = new PathRoute(template, compile(template), new LinkedHashMap<>());
            routes.add(created);
            return created;
        });
        route.operations().put(method, new Operation(access, handler));
        return this;
    }

    Optional<Match> match(String path) {
        for (PathRoute route : routes) {
            Matcher matcher = route.pattern().matcher(path);
            if (matcher.matches()) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= matcher.groupCount(); i++) {
                    params.add(URLDecoder.decode(matcher.group(i).replace("+", "%2B"), StandardCharsets.UTF_8));
                }
                return Optional.of(new Match(route, params));
            }
        }
        return Optional.empty();
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher placeholder = Pattern.compile("\\{[^}]+}").matcher(template);
        int last = 0;
        while (placeholder.find()) {
            regex.append(Pattern.quote(template.substring(last, placeholder.start()))).append("([^/]+)");
            last = placeholder.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
