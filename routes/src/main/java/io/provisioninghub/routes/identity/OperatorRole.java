package io.provisioninghub.routes.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * The roles of the operator plane (issue 13, docs/security.md). An identity provider names them in the access token's
 * roles claim ({@code hub.operator.roles-claim}) in lower case: {@code care}, {@code security}, {@code admin}.
 */
public enum OperatorRole {
    /** Customer care: look up subscribers and devices, resend, reconfigure one subscriber, revoke tokens, issue an OTP. */
    CARE,
    /** Security team: rotations, campaigns, device keys, bindings, change of owner, the audit trail. */
    SECURITY,
    /** Everything. */
    ADMIN;

    /** The name in the token's roles claim and in the audit trail. */
    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Spring Security authority the hub grants for the role. */
    public String authority() {
        return "ROLE_" + claimValue();
    }

    static Optional<OperatorRole> fromClaimValue(String value) {
        for (OperatorRole role : values()) {
            if (role.claimValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    static Optional<OperatorRole> fromAuthority(String authority) {
        return authority.startsWith("ROLE_") ? fromClaimValue(authority.substring(5)) : Optional.empty();
    }
}
