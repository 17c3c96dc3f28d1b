package io.provisioninghub.connectors.billing;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A minimal application as the hub's routes module would be: everything comes from auto-configuration,
 * so a test through it also proves that BillingAutoConfiguration is registered in AutoConfiguration.imports.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BillingTestApplication {
}
