package io.provisioninghub.routes.configuration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Map;

/**
 * {@code hub.networks[*]}: the home networks one deployment serves (CFG-8). A request's network comes from
 * the Host (config.rcs.mnc&lt;MNC&gt;.mcc&lt;MCC&gt;.pub.3gppnetwork.org, RCC.14 §2.2.1) or else from the IMSI.
 *
 * @param networks each with its MCC, MNC (2 or 3 digits as allocated) and the static parameters its
 *                 templates use as {@code ${network.<name>}} (lower-case, dash-separated names)
 */
@ConfigurationProperties(prefix = "hub")
public record HomeNetworksProperties(List<Network> networks) {

    public HomeNetworksProperties {
        networks = networks == null ? List.of() : List.copyOf(networks);
    }

    public record Network(String mcc, String mnc, Map<String, String> parameters) {
        public Network {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }
    }
}
