package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.RequestRejected;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies {@link RequestRulesProperties} to a request: the spec's Table 1 rules (CFG-3), relaxed by the first
 * client profile the request matches. The rules are compiled once at start-up.
 */
@Component
class RequestRules {

    private final RequestRulesProperties properties;
    private final List<CompiledRule> defaults;
    private final List<CompiledProfile> profiles;

    RequestRules(RequestRulesProperties properties) {
        this.properties = properties;
        this.defaults = compile(properties.defaults());
        this.profiles = new ArrayList<>();
        for (RequestRulesProperties.ClientProfile profile : properties.clientProfiles()) {
            Map<String, RequestRulesProperties.ParameterRule> merged = new LinkedHashMap<>();
            properties.defaults().forEach(rule -> merged.put(rule.name(), rule));
            profile.overrides().forEach(rule -> merged.put(rule.name(), rule));
            profiles.add(new CompiledProfile(profile.name(), profile.whenPresent(),
                    compile(List.copyOf(merged.values()))));
        }
    }

    /** @throws RequestRejected 403 when a parameter is missing, malformed or oversized */
    ConfigurationRequest validate(String rawQuery) {
        QueryParameters params = QueryParameters.parse(rawQuery, properties.maxParameters(), properties.maxValueLength());
        String profileName = "rcc14";
        List<CompiledRule> rules = defaults;
        for (CompiledProfile profile : profiles) {
            if (profile.whenPresent().stream().allMatch(params::has)) {
                profileName = profile.name();
                rules = profile.rules();
                break;
            }
        }
        for (CompiledRule rule : rules) {
            String value = params.get(rule.name());
            if (value == null) {
                if (rule.required()) {
                    throw RequestRejected.forbidden("missing mandatory parameter " + rule.name());
                }
                continue;
            }
            if (rule.maxLength() != null && value.length() > rule.maxLength()) {
                throw RequestRejected.forbidden("parameter " + rule.name() + " too long");
            }
            if (rule.pattern() != null && !rule.pattern().matcher(value).matches()) {
                throw RequestRejected.forbidden("parameter " + rule.name() + " malformed");
            }
        }
        String vers = params.get("vers");
        return new ConfigurationRequest(profileName,
                vers == null ? 0L : parseVersion(vers),
                emptyToNull(params.get("IMSI")),
                emptyToNull(params.get("IMEI")),
                params.get("terminal_vendor"),
                params.get("terminal_model"),
                params.get("terminal_sw_version"),
                emptyToNull(params.get("friendly_device_name")));
    }

    private static long parseVersion(String vers) {
        try {
            return Long.parseLong(vers);
        } catch (NumberFormatException e) {
            // Only reachable when an operator's profile relaxed the vers pattern: still invalid.
            throw RequestRejected.forbidden("parameter vers malformed");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static List<CompiledRule> compile(List<RequestRulesProperties.ParameterRule> rules) {
        List<CompiledRule> compiled = new ArrayList<>();
        for (RequestRulesProperties.ParameterRule rule : rules) {
            compiled.add(new CompiledRule(rule.name(), rule.required(),
                    rule.pattern() == null ? null : Pattern.compile(rule.pattern()), rule.maxLength()));
        }
        return List.copyOf(compiled);
    }

    private record CompiledRule(String name, boolean required, Pattern pattern, Integer maxLength) {
    }

    private record CompiledProfile(String name, List<String> whenPresent, List<CompiledRule> rules) {
    }
}
