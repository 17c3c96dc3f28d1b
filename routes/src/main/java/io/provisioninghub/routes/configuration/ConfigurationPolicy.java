package io.provisioninghub.routes.configuration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code hub.policy.*}: the operator's choices that RCC.14 leaves to the Service Provider.
 *
 * @param validity                    VERS validity sent with a configuration (§2.2.2)
 * @param barred                      answer for a subscriber barred from every service (§2.2.4 case 4)
 * @param deprovisioned               answer for a subscriber whose products are all terminated (Table 8)
 * @param optedOutOfAll               answer when the user opted out of every service (§2.2.4 case 7)
 * @param notEntitled                 answer when no service is entitled (no active product)
 * @param partialConfiguration        true: configure the allowed services only (§2.2.4 cases 4, 7);
 *                                    false: answer {@code notEntitled} as soon as one service is not allowed
 * @param provisioningRetryAfter      Retry-After while billing reports provisioning in progress (Table 8)
 * @param unavailableRetryAfter       Retry-After while billing or the HLR cannot be reached
 * @param securityEnhanced            §2.2.5: answer the cellular HTTP request with 511 + cookie (CFG-9)
 * @param issueToken                  send a TOKEN with full configurations over cellular (§2.2.2, optional)
 * @param tokenValidity               lifetime of such a token
 * @param welcomeMessage              send a MSG with a first configuration (vers ≤ 0) (§2.2.3)
 * @param disablingMessage            send a MSG with a disabling response (version 0/-1/-2) (§2.2.3)
 * @param sessionTtl                  lifetime of the cookie that correlates the HTTP and HTTPS requests (§2.2)
 */
@ConfigurationProperties(prefix = "hub.policy")
public record ConfigurationPolicy(
        @DefaultValue("86400s") Duration validity,
        @DefaultValue("RESET") ResetKind barred,
        @DefaultValue("RESET_PERMANENTLY") ResetKind deprovisioned,
        @DefaultValue("RESET_UNTIL_USER_ACTION") ResetKind optedOutOfAll,
        @DefaultValue("RESET") ResetKind notEntitled,
        @DefaultValue("true") boolean partialConfiguration,
        @DefaultValue("120s") Duration provisioningRetryAfter,
        @DefaultValue("60s") Duration unavailableRetryAfter,
        @DefaultValue("false") boolean securityEnhanced,
        @DefaultValue("true") boolean issueToken,
        @DefaultValue("90d") Duration tokenValidity,
        @DefaultValue("true") boolean welcomeMessage,
        @DefaultValue("true") boolean disablingMessage,
        @DefaultValue("300s") Duration sessionTtl) {
}
