package io.provisioninghub.routes.web;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether this replica can serve devices: the Camel context and every platform-http route are started. This, with
 * Spring Boot's readiness state, is the readiness group (docs/runbook.md#probes). The back ends are deliberately not in
 * it: every replica shares them, so an outage of Kafka, Artemis, the database, the HLR or billing would take all
 * replicas out of the Service at once, and devices would meet refused connections instead of the hub's 503 with
 * Retry-After (RCC.14 Table 8) — or, for Kafka and Artemis, instead of a configuration that does not need them.
 */
@Component("devicePlane")
class DevicePlaneHealth implements HealthIndicator {

    private final CamelContext camel;

    DevicePlaneHealth(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public Health health() {
        if (!camel.isStarted()) {
            return Health.down().withDetail("camel", camel.getStatus().name()).build();
        }
        int served = 0;
        for (Route route : camel.getRoutes()) {
            if (!route.getEndpoint().getEndpointUri().startsWith("platform-http:")) {
                continue;
            }
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            if (status != ServiceStatus.Started) {
                return Health.down().withDetail("route", route.getRouteId()).withDetail("status", String.valueOf(status))
                        .build();
            }
            served++;
        }
        return Health.up().withDetail("httpRoutes", served).build();
    }
}
