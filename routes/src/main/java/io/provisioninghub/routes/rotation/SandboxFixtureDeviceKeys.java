package io.provisioninghub.routes.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The sandbox's fixture devices have keys on record from the start (issue 4: "filled through the operator API and, in
 * the sandbox, for the fixture subscribers"): the public parts of {@code sandbox/rotation-keys.json}'s device keys go
 * into the device key registry unless the device already has a key (a key changed through the operator API stays).
 */
@Component
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
class SandboxFixtureDeviceKeys implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxFixtureDeviceKeys.class);

    private final DeviceKeyRegistry registry;
    private final ObjectMapper json;

    SandboxFixtureDeviceKeys(DeviceKeyRegistry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    @Override
    public void run(ApplicationArguments args) throws DeviceKeyRegistry.RefusedKey, java.text.ParseException {
        int recorded = 0;
        for (JsonNode device : RotationKeys.sandboxKeys(json).get("devices")) {
            String publicJwk = com.nimbusds.jose.jwk.JWK.parse(device.get("jwk").toString()).toPublicJWK().toJSONString();
            if (registry.putIfAbsent(device.get("imsi").asText(), device.get("imei").asText(), publicJwk)) {
                recorded++;
            }
        }
        if (recorded > 0) {
            LOG.info("Sandbox: {} fixture device key(s) recorded in the device key registry", recorded);
        }
    }
}
