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
    private final List<CompiledRule> nonCellular;
    private final List<CompiledRule> additionalDevice;
    private final List<CompiledRule> dedicatedIdentity;

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
        this.nonCellular = compile(properties.nonCellular());
        this.additionalDevice = compile(properties.additionalDevice());
        this.dedicatedIdentity = compile(properties.dedicatedIdentity());
    }

    /** Which request of RCC.14 a rule set checks. */
    enum Table {
        /** Table 1, §2.2.1 */
        CELLULAR,
        /** Table 9, §2.3.2: Table 1 plus {@code hub.request-rules.non-cellular} */
        NON_CELLULAR,
        /** Table 12, §2.5.1 */
        ADDITIONAL_DEVICE,
        /** Table 14, §2.6 */
        DEDICATED_IDENTITY
    }

    /** A request that passed its table's rules, and its parameters. */
    record Checked(ConfigurationRequest request, QueryParameters parameters) {
    }

    /** @throws RequestRejected 403 when a parameter is missing, malformed or oversized */
    ConfigurationRequest validate(String rawQuery) {
        return validate(rawQuery, Table.CELLULAR).request();
    }

    /** @throws RequestRejected 403 when a parameter is missing, malformed or oversized, or repeated */
    Checked validate(String rawQuery, Table table) {
        QueryParameters params = parse(rawQuery);
        String profileName = "rcc14";
        List<CompiledRule> rules = defaults;
        for (CompiledProfile profile : profiles) {
            if (profile.whenPresent().stream().allMatch(params::has)) {
                profileName = profile.name();
                rules = profile.rules();
                break;
            }
        }
        rules = switch (table) {
            case CELLULAR -> rules;
            case NON_CELLULAR -> merge(rules, nonCellular);
            case ADDITIONAL_DEVICE -> additionalDevice;
            case DEDICATED_IDENTITY -> dedicatedIdentity;
        };
        check(params, rules);
        String vers = params.get("vers");
        ConfigurationRequest request = new ConfigurationRequest(profileName,
                vers == null ? 0L : parseVersion(vers),
                emptyToNull(params.get("IMSI")),
                emptyToNull(params.get("IMEI")),
                params.get("terminal_vendor"),
                params.get("terminal_model"),
                params.get("terminal_sw_version"),
                emptyToNull(params.get("friendly_device_name")));
        return new Checked(request, params);
    }

    /** The query string (or form body) parsed strictly, without rules: every parameter at most once. */
    QueryParameters parse(String raw) {
        return QueryParameters.parse(raw, properties.maxParameters(), properties.maxValueLength());
    }

    private static List<CompiledRule> merge(List<CompiledRule> base, List<CompiledRule> extra) {
        Map<String, CompiledRule> merged = new LinkedHashMap<>();
        base.forEach(rule -> merged.put(rule.name(), rule));
        extra.forEach(rule -> merged.put(rule.name(), rule));
        return List.copyOf(merged.values());
    }

    private static void check(QueryParameters params, List<CompiledRule> rules) {
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
