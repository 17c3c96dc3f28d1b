package io.provisioninghub.routes.configuration;

import org.apache.catalina.util.NetMask;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the identity that the operator's gateway puts in request headers (RCC.14 §2.2 "header enrichment",
 * CFG-1). The headers are believed only from the configured proxy addresses: anyone else can set them, so from
 * anywhere else they are ignored and the request counts as unidentified (→ 511, §2.3.1.1).
 */
@Component
class HeaderEnrichment {

    private static final Pattern MSISDN = Pattern.compile("\\+?[1-9][0-9]{5,14}");
    private static final Pattern IMSI = Pattern.compile("[0-9]{15}");

    private final List<NetMask> trusted;

    HeaderEnrichment(EnrichmentProperties properties) {
        this.trusted = properties.trustedProxies().stream().map(NetMask::new).toList();
    }

    SubscriberIdentity identify(DeviceRequest request) {
        if (!isTrusted(request.remoteAddr())) {
            return SubscriberIdentity.NONE;
        }
        String msisdn = single(request.msisdnHeader(), MSISDN);
        String imsi = single(request.imsiHeader(), IMSI);
        return new SubscriberIdentity(msisdn == null ? null : (msisdn.startsWith("+") ? msisdn : "+" + msisdn), imsi);
    }

    /** One well-formed value, or null: a repeated or malformed header is not an identity. */
    private static String single(List<String> values, Pattern format) {
        if (values.size() != 1) {
            return null;
        }
        String value = values.get(0).trim();
        return format.matcher(value).matches() ? value : null;
    }

    private boolean isTrusted(String remoteAddr) {
        if (remoteAddr == null) {
            return false;
        }
        try {
            // getRemoteAddr() is a literal address, so this does no DNS lookup.
            InetAddress address = InetAddress.getByName(remoteAddr);
            return trusted.stream().anyMatch(mask -> mask.matches(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
