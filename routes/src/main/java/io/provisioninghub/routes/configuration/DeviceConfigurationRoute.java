package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.HttpErrorHandling;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
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
    private final NonCellularConfigurationFlow nonCellular;
    private final EnrichmentProperties enrichment;
    private final ResponseMetrics metrics;
    private final ConfigurationMetrics configurationMetrics;

    DeviceConfigurationRoute(DeviceConfigurationFlow flow, NonCellularConfigurationFlow nonCellular,
                             EnrichmentProperties enrichment, ResponseMetrics metrics,
                             ConfigurationMetrics configurationMetrics) {
        this.configurationMetrics = configurationMetrics;
        this.flow = flow;
        this.nonCellular = nonCellular;
        this.enrichment = enrichment;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        // POST only for the OTP in a form body (Tables 10, 13, 14 over HTTPS); everything else is GET.
        from("platform-http:/?httpMethodRestrict=GET,POST")
                .routeId(ROUTE_ID)
                .routeGroup("configuration")
                .routeConfigurationId(HttpErrorHandling.ID)
                // Every answer counted once, in the one place that sees them all: those of the flows below and those
                // of the shared error handler (refusals, a back end down, an internal error). Before the consumer
                // writes the answer, so a client that reads the metrics after its answer finds it counted.
                .onCompletion().modeBeforeConsumer().process(this::countAnswer).end()
                .process(this::readRequest)
                .choice()
                    .when(exchange -> request(exchange).secure() && request(exchange).tokenOrOtp())
                        .process(exchange -> answer(exchange, nonCellular.handle(request(exchange))))
                    .when(exchange -> request(exchange).secure())
                        .process(exchange -> answer(exchange, flow.secureRequest(request(exchange))))
                    .otherwise()
                        .process(exchange -> answer(exchange, flow.firstRequest(request(exchange))))
                .end()
                .process(exchange -> {
                    HubResponse response = exchange.getProperty(RESPONSE, HubResponse.class);
                    metrics.record(ROUTE_ID, response.status(), response.status() == 511 ? "not identified"
                            : !request(exchange).secure() ? "first request"
                            : request(exchange).tokenOrOtp() ? "token or OTP" : "configuration");
                    HttpResponses.write(exchange, response);
                });
    }

    private void readRequest(Exchange exchange) {
        PlatformHttpMessage message = exchange.getMessage(PlatformHttpMessage.class);
        String formBody = null;
        if ("POST".equals(message.getRequest().getMethod())) {
            String type = message.getRequest().getContentType();
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                throw new RequestRejected(HubResponse.text(415, "Unsupported Media Type"), "POST without a form body");
            }
            if (!message.getRequest().isSecure()) {
                throw RequestRejected.forbidden("an OTP is only accepted over HTTPS");
            }
            // platform-http hands a form over as a Map (values merged); the servlet request still tells query and
            // body values apart.
            formBody = bodyParameters(exchange, message.getRequest());
        }
        exchange.setProperty(REQUEST, DeviceRequest.from(message.getRequest(), enrichment, formBody));
    }

    /**
     * The form body's parameters as a query-style string. platform-http has already read the body: it hands the
     * form over as a Map (one value per name) and merges each name's query and body values into one header (the
     * query's first), so the values beyond the query's count are the body's. Header names are case-insensitive,
     * which can only make a repeated OTP/otp look more repeated (→ 403), never hide one.
     */
    private static String bodyParameters(Exchange exchange, jakarta.servlet.http.HttpServletRequest request) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof String text) {
            return text;
        }
        if (!(body instanceof java.util.Map<?, ?> form)) {
            return "";
        }
        java.util.Map<String, Integer> inQuery = new java.util.HashMap<>();
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (!pair.isEmpty()) {
                    String name = java.net.URLDecoder.decode(pair.split("=", 2)[0], java.nio.charset.StandardCharsets.UTF_8);
                    inQuery.merge(name.toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                }
            }
        }
        java.util.StringJoiner joined = new java.util.StringJoiner("&");
        for (Object key : form.keySet()) {
            String name = String.valueOf(key);
            Object header = exchange.getMessage().getHeader(name);
            java.util.List<?> values = header instanceof java.util.List<?> list ? list
                    : header == null ? java.util.List.of() : java.util.List.of(header);
            for (int i = inQuery.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), 0); i < values.size(); i++) {
                joined.add(java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(String.valueOf(values.get(i)), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return joined.toString();
    }

    private void countAnswer(Exchange exchange) {
        DeviceRequest request = request(exchange);
        String flowName;
        if (request != null) {
            flowName = ConfigurationMetrics.flow(request.secure(), request.tokenOrOtp());
        } else {
            // Refused before it was read (readRequest refuses some POSTs): classified as DeviceRequest.from would
            // have, a POST carrying a form body (an OTP).
            jakarta.servlet.http.HttpServletRequest http = exchange.getIn(PlatformHttpMessage.class).getRequest();
            flowName = ConfigurationMetrics.flow(http.isSecure(), "POST".equals(http.getMethod())
                    || NonCellularConfigurationFlow.applies(http.getQueryString(), null));
        }
        // HttpResponses.write sets the status of every answer, the error handler's included.
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 500, Integer.class);
        configurationMetrics.answered(flowName, status);
    }

    private static DeviceRequest request(Exchange exchange) {
        return exchange.getProperty(REQUEST, DeviceRequest.class);
    }

    private static void answer(Exchange exchange, HubResponse response) {
        exchange.setProperty(RESPONSE, response);
    }
}
