package io.provisioninghub.routes.configuration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code hub.enrichment.*}: how the operator's gateway tells the hub who is asking (RCC.14 §2.2, CFG-1).
 *
 * @param msisdnHeader   header carrying the MSISDN (E.164, with or without '+')
 * @param imsiHeader     header carrying the IMSI (15 digits)
 * @param trustedProxies addresses or CIDR blocks of the gateways allowed to set those headers; a header from
 *                       anywhere else is ignored, as if the request came over non-3GPP access (→ 511)
 */
@ConfigurationProperties(prefix = "hub.enrichment")
public record EnrichmentProperties(
        @DefaultValue("X-MSISDN") String msisdnHeader,
        @DefaultValue("X-IMSI") String imsiHeader,
        @DefaultValue({"127.0.0.1/32", "::1/128"}) List<String> trustedProxies) {
}
