package io.provisioninghub.routes.configuration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code hub.request-rules.*}: the one declarative place for the HTTPS request's parameters (RCC.14 Table 1,
 * CFG-3). {@code defaults} are the spec's rules (shipped in application.yml); a client profile relaxes or
 * extends them for clients that match it, without code — e.g. RCS 5.1-era clients that send
 * {@code rcs_version} instead of {@code provisioning_version} and longer {@code terminal_*} values.
 *
 * @param defaults       the rules every request obeys unless a matching profile overrides them
 * @param clientProfiles checked in order; the first whose {@code when-present} parameters are all present wins
 * @param maxParameters  more parameters than this → 403
 * @param maxValueLength any value longer than this → 403 (parameters without a rule of their own included)
 * @param nonCellular    Table 9 (§2.3.2): the rules added to Table 1's (after any client profile) for a primary
 *                       device over non-3GPP access
 * @param additionalDevice Table 12 (§2.5.1): the whole rule set of an additional device's request
 * @param dedicatedIdentity Table 14 (§2.6): the whole rule set of a dedicated-identity device's request
 */
@ConfigurationProperties(prefix = "hub.request-rules")
public record RequestRulesProperties(
        List<ParameterRule> defaults,
        List<ClientProfile> clientProfiles,
        @DefaultValue("40") int maxParameters,
        @DefaultValue("256") int maxValueLength,
        List<ParameterRule> nonCellular,
        List<ParameterRule> additionalDevice,
        List<ParameterRule> dedicatedIdentity) {

    public RequestRulesProperties {
        defaults = defaults == null ? List.of() : List.copyOf(defaults);
        clientProfiles = clientProfiles == null ? List.of() : List.copyOf(clientProfiles);
        nonCellular = nonCellular == null ? List.of() : List.copyOf(nonCellular);
        additionalDevice = additionalDevice == null ? List.of() : List.copyOf(additionalDevice);
        dedicatedIdentity = dedicatedIdentity == null ? List.of() : List.copyOf(dedicatedIdentity);
    }

    /**
     * @param name      parameter name, case-sensitive as in Table 1
     * @param required  absent → 403
     * @param pattern   a Java regular expression the whole value must match, or null
     * @param maxLength maximum length in characters after percent-decoding, or null
     */
    public record ParameterRule(String name, boolean required, String pattern, Integer maxLength) {
    }

    /**
     * @param name        shown in logs and docs
     * @param whenPresent the profile applies when all these parameters are present
     * @param overrides   rules replacing the default rule of the same name, or adding one
     */
    public record ClientProfile(String name, List<String> whenPresent, List<ParameterRule> overrides) {
        public ClientProfile {
            whenPresent = whenPresent == null ? List.of() : List.copyOf(whenPresent);
            overrides = overrides == null ? List.of() : List.copyOf(overrides);
        }
    }
}
