package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.RequestRejected;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The query string of a configuration request, parsed strictly: every parameter at most once (a repeated
 * parameter is ambiguous, and a repeated identity parameter is a classic way to slip one past a check),
 * well-formed percent-encoding, bounded size. Any violation is a 403 (RCC.14 Table 8: invalid request).
 */
final class QueryParameters {

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    static QueryParameters parse(String rawQuery, int maxParameters, int maxValueLength) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParameters(Map.of());
        }
        Map<String, String> values = new LinkedHashMap<>();
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            if (end > start) {
                String pair = rawQuery.substring(start, end);
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (name.isEmpty()) {
                    throw RequestRejected.forbidden("empty parameter name");
                }
                if (value.length() > maxValueLength || name.length() > maxValueLength) {
                    throw RequestRejected.forbidden("oversized parameter");
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw RequestRejected.forbidden("repeated parameter");
                }
                if (values.size() > maxParameters) {
                    throw RequestRejected.forbidden("too many parameters");
                }
            }
            start = end + 1;
        }
        return new QueryParameters(Collections.unmodifiableMap(values));
    }

    private static String decode(String raw) {
        try {
            String decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            for (int i = 0; i < decoded.length(); i++) {
                char c = decoded.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
                    throw RequestRejected.forbidden("control or undecodable character in a parameter");
                }
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw RequestRejected.forbidden("malformed percent-encoding");
        }
    }

    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Set<String> names() {
        return values.keySet();
    }
}
