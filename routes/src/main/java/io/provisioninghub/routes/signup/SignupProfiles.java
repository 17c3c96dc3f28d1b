package io.provisioninghub.routes.signup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.provisioninghub.connectors.hlr.HlrProvisioning.ProvisionedSubscriber;
import io.provisioninghub.routes.configuration.HomeNetworksProperties;
import org.springframework.stereotype.Component;

import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The subscription profile a signed-up device downloads (SIGNUP-2; schema json/signup/signup-profile.v1.schema.json,
 * example in docs/flows/signup.md): IMSI, MSISDN, K, OPc, home network, configuration server, plan. It is encrypted
 * as a compact JWE to the device certificate's public key, so only that device can read it: ECDH-ES+A256KW for an EC
 * key (a fresh ephemeral key per profile; the wrapped CEK keeps the door open to several recipients later),
 * RSA-OAEP-256 for an RSA key, A256GCM content encryption in both cases. The hub keeps only the JWE.
 */
@Component
class SignupProfiles {

    static final String TYPE = "signup-profile+jwe";

    private final HomeNetworksProperties networks;
    private final SignupProperties properties;
    private final ObjectMapper json;

    SignupProfiles(HomeNetworksProperties networks, SignupProperties properties, ObjectMapper json) {
        this.networks = networks;
        this.properties = properties;
        this.json = json;
    }

    /** The profile as JSON text (holds K: never log or store it in clear). */
    String assemble(UUID signupId, String planId, ProvisionedSubscriber subscriber) {
        HomeNetworksProperties.Network home = homeNetworkOf(subscriber.imsi());
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("version", 1);
        profile.put("signupId", signupId.toString());
        profile.put("imsi", subscriber.imsi());
        profile.put("msisdn", subscriber.msisdn());
        profile.put("authentication", Map.of("algorithm", "MILENAGE", "k", subscriber.k().toUpperCase(java.util.Locale.ROOT),
                "opc", subscriber.opc().toUpperCase(java.util.Locale.ROOT)));
        profile.put("homeNetwork", Map.of("mcc", home.mcc(), "mnc", home.mnc()));
        profile.put("configurationServer", configurationServer(home));
        if (planId != null) {
            // A device bound to an existing subscription (SIGNUP-3) has no plan of the hub's choosing.
            profile.put("plan", Map.of("id", planId));
        }
        profile.put("issuedAt", Instant.now().toString());
        try {
            return json.writeValueAsString(profile);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("profile not serialisable", e);
        }
    }

    /** The profile encrypted to the device's public JWK. */
    String encrypt(String profileJson, String publicJwk) {
        try {
            JWK key = JWK.parse(publicJwk);
            JWEAlgorithm algorithm;
            JWEEncrypter encrypter;
            if (key instanceof ECKey ec) {
                algorithm = JWEAlgorithm.ECDH_ES_A256KW;
                encrypter = new ECDHEncrypter(ec);
            } else if (key instanceof RSAKey rsa) {
                algorithm = JWEAlgorithm.RSA_OAEP_256;
                encrypter = new RSAEncrypter(rsa);
            } else {
                throw new IllegalStateException("the device key is neither EC nor RSA");
            }
            JWEHeader header = new JWEHeader.Builder(algorithm, EncryptionMethod.A256GCM)
                    .type(new JOSEObjectType(TYPE))
                    .contentType("application/json")
                    .keyID(key.computeThumbprint().toString())
                    .build();
            JWEObject jwe = new JWEObject(header, new Payload(profileJson));
            jwe.encrypt(encrypter);
            return jwe.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("the profile cannot be encrypted to the device key", e);
        }
    }

    /** The configured home network whose MCC+MNC starts the IMSI (the HLR's pools are per network), else the first. */
    private HomeNetworksProperties.Network homeNetworkOf(String imsi) {
        return networks.networks().stream().filter(n -> imsi.startsWith(n.mcc() + n.mnc())).findFirst()
                .orElseGet(() -> networks.networks().stream().findFirst()
                        .orElseThrow(() -> new IllegalStateException("no home network configured (hub.networks)")));
    }

    private String configurationServer(HomeNetworksProperties.Network home) {
        if (properties.configurationServerUrl() != null && !properties.configurationServerUrl().isBlank()) {
            return properties.configurationServerUrl();
        }
        String mnc = home.mnc().length() == 2 ? "0" + home.mnc() : home.mnc();
        return "https://config.rcs.mnc" + mnc + ".mcc" + home.mcc() + ".pub.3gppnetwork.org";
    }
}
