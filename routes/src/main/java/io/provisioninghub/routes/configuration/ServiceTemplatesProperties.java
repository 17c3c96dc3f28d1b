package io.provisioninghub.routes.configuration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * {@code hub.services[*]}: the services the hub configures, in document order (INT-5). Each has a name (as
 * billing's product "service" characteristic and the HLR's barring/opt-out rows name it) and a template:
 * a {@code <characteristic>} fragment with placeholders, see docs/configuration.md.
 */
@ConfigurationProperties(prefix = "hub")
public record ServiceTemplatesProperties(List<Service> services) {

    public ServiceTemplatesProperties {
        services = services == null ? List.of() : List.copyOf(services);
    }

    public record Service(String name, String template) {
    }
}
