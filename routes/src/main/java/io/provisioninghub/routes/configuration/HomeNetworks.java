package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.RequestRejected;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The home networks this deployment serves, and how a request is mapped to one (CFG-8, RCC.14 §2.2.1). */
@Component
class HomeNetworks {

    /** RCC.14 §2.2.1: config.rcs.mnc&lt;MNC&gt;.mcc&lt;MCC&gt;.pub.3gppnetwork.org, MNC padded to 3 digits. */
    private static final Pattern CONFIG_HOST =
            Pattern.compile("config\\.rcs\\.mnc(\\d{3})\\.mcc(\\d{3})\\.pub\\.3gppnetwork\\.org\\.?(:\\d{1,5})?");

    private final List<HomeNetwork> networks;

    HomeNetworks(HomeNetworksProperties properties) {
        this.networks = properties.networks().stream()
                .map(n -> new HomeNetwork(n.mcc(), n.mnc(), n.parameters()))
                .toList();
        if (networks.isEmpty()) {
            throw new IllegalStateException("hub.networks must list at least one home network");
        }
    }

    List<HomeNetwork> all() {
        return networks;
    }

    /**
     * @return the network the Host names, or empty when the Host is not a configuration-server name
     * @throws RequestRejected 403 when the Host names a network this deployment does not serve
     */
    Optional<HomeNetwork> fromHost(String host) {
        if (host == null) {
            return Optional.empty();
        }
        Matcher m = CONFIG_HOST.matcher(host.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String mnc3 = m.group(1);
        String mcc = m.group(2);
        return Optional.of(networks.stream()
                .filter(n -> n.mcc().equals(mcc) && n.mnc3().equals(mnc3))
                .findFirst()
                .orElseThrow(() -> RequestRejected.forbidden("Host names a network this deployment does not serve")));
    }

    /** The served network whose MCC+MNC prefixes the IMSI (3-digit MNCs are tried first). */
    Optional<HomeNetwork> fromImsi(String imsi) {
        if (imsi == null) {
            return Optional.empty();
        }
        return networks.stream()
                .filter(n -> imsi.startsWith(n.mcc() + n.mnc()))
                .max((a, b) -> Integer.compare(a.mnc().length(), b.mnc().length()));
    }
}
