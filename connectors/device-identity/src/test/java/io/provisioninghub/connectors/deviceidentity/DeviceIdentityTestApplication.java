package io.provisioninghub.connectors.deviceidentity;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The connector alone in a Spring Boot application, as the hub's routes module will have it. */
@SpringBootConfiguration
@EnableAutoConfiguration
class DeviceIdentityTestApplication {
}
