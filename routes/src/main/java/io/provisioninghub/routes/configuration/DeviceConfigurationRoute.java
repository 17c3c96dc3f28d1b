package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.HttpErrorHandling;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.ResponseMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/**
 * The device configuration flow over cellular access (RCC.14 §2.2; sequence diagram in
 * docs/flows/device-configuration.md). One endpoint, the configuration server's root URL, served on both the
 * plain-HTTP and the HTTPS connector: the first request arrives over HTTP, the second over HTTPS.
 */
@Component
class DeviceConfigurationRoute extends RouteBuilder {

    static final String ROUTE_ID = "device-config-request";
    static final String REQUEST = "hubDeviceRequest";
    static final String RESPONSE = "hubResponse";

    private final DeviceConfigurationFlow flow;
    private final EnrichmentProperties enrichment;
    private final ResponseMetrics metrics;

    DeviceConfigurationRoute(DeviceConfigurationFlow flow, EnrichmentProperties enrichment, ResponseMetrics metrics) {
        this.flow = flow;
        this.enrichment = enrichment;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        from("platform-http:/?httpMethodRestrict=GET")
                .routeId(ROUTE_ID)
                .routeConfigurationId(HttpErrorHandling.ID)
                .process(this::readRequest)
                .choice()
                    .when(exchange -> exchange.getProperty(REQUEST, DeviceRequest.class).secure())
                        .process(exchange -> answer(exchange, flow.secureRequest(request(exchange))))
                    .otherwise()
                        .process(exchange -> answer(exchange, flow.firstRequest(request(exchange))))
                .end()
                .process(exchange -> {
                    HubResponse response = exchange.getProperty(RESPONSE, HubResponse.class);
                    metrics.record(ROUTE_ID, response.status(), response.status() == 511 ? "not identified by the network"
                            : request(exchange).secure() ? "configuration" : "first request");
                    HttpResponses.write(exchange, response);
                });
    }

    private void readRequest(Exchange exchange) {
        PlatformHttpMessage message = exchange.getMessage(PlatformHttpMessage.class);
        exchange.setProperty(REQUEST, DeviceRequest.from(message.getRequest(), enrichment));
    }

    private static DeviceRequest request(Exchange exchange) {
        return exchange.getProperty(REQUEST, DeviceRequest.class);
    }

    private static void answer(Exchange exchange, HubResponse response) {
        exchange.setProperty(RESPONSE, response);
    }
}
