package io.provisioninghub.routes.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the hub's HTTP answers by route, status and reason ({@code hub.http.responses}, on
 * /actuator/prometheus), so an operator can tell a spike of 403s for malformed parameters from one for unknown
 * subscribers. Reasons are fixed texts from the code and the rules configuration, never request data.
 */
@Component
public class ResponseMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ResponseMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String route, int status, String reason) {
        String key = route + '|' + status + '|' + reason;
        counters.computeIfAbsent(key, k -> Counter.builder("hub.http.responses")
                .description("HTTP answers of the hub's routes")
                .tag("route", route == null ? "unknown" : route)
                .tag("status", Integer.toString(status))
                .tag("reason", reason)
                .register(registry)).increment();
    }
}
