package io.provisioninghub.routes;

import io.provisioninghub.routes.sandbox.SandboxSystemsOnly;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Provisioning Hub: an RCC.14 configuration server and integration hub between devices and the operator's
 * HLR, billing, SMSC, Kafka and Artemis. With {@code hub.sandbox.enabled=true} (the default) it starts its own
 * stand-ins for every external system that is not configured; see {@code docs/configuration.md}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@org.springframework.scheduling.annotation.EnableScheduling
public class ProvisioningHubApplication {

    public static void main(String[] args) throws InterruptedException {
        if (SandboxSystemsOnly.requested(args)) {
            // hub.sandbox.systems-only: the sandbox's systems for replicas to join, and no hub in this JVM.
            SandboxSystemsOnly.run(args);
            return;
        }
        SpringApplication.run(ProvisioningHubApplication.class, args);
    }
}
