package io.provisioninghub.routes.web;

import io.micrometer.tracing.handler.TracingObservationHandler;
import io.provisioninghub.routes.tracing.FlowTracing;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.AbstractAccessLogValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ServerHttpObservationFilter;

import java.io.CharArrayWriter;
import java.util.regex.Pattern;

/**
 * The HTTP access log, with no subscriber identifier in it (issue 2, OPS-3), written through the application's logging
 * (logger {@code http.access}) to stdout, in the same format as every other line: plain text, or JSON with
 * {@code logging.structured.format.console} (issue 14, docs/observability.md#logs). The pattern leaves out the query
 * string (Table 1 carries IMSI and IMEI) and every request header (the enrichment headers carry the MSISDN); on top of
 * that every run of six or more digits in a line — an IMSI, MSISDN or IMEI in a path such as the operator API's — is
 * masked before the line is written, so a new endpoint cannot leak one by accident. Tomcat escapes control characters
 * in the request line, so no request can start a forged line.
 */
@Component
@ConditionalOnProperty(name = "hub.access-log.enabled", havingValue = "true", matchIfMissing = true)
class RedactingAccessLog implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final String PATTERN = "%a %t \"%m %U %H\" %s %b %{ms}Tms";
    static final String LOGGER = "http.access";

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Valve valve = new Valve();
        valve.setPattern(PATTERN);
        factory.addEngineValves(valve);
    }

    static final class Valve extends AbstractAccessLogValve {

        private static final Logger ACCESS = LoggerFactory.getLogger(LOGGER);
        private static final Pattern IDENTIFIER = Pattern.compile("[0-9]{6,}");
        /** Micrometer Tracing's MDC key, which the log formats show (docs/observability.md#logs). */
        private static final String TRACE_ID = "traceId";

        /**
         * The line of a request names its trace and flow like the request's other lines: the valve runs after the
         * request's span was closed, so both are taken from what the request kept (Spring MVC's observation context,
         * the attribute FlowRoutePolicyFactory set).
         */
        @Override
        public void log(Request request, Response response, long time) {
            String traceId = traceIdOf(request.getRequest());
            Object flow = request.getRequest().getAttribute(FlowTracing.FLOW);
            try {
                if (traceId != null) {
                    MDC.put(TRACE_ID, traceId);
                }
                if (flow != null) {
                    MDC.put(FlowTracing.FLOW, flow.toString());
                }
                super.log(request, response, time);
            } finally {
                MDC.remove(TRACE_ID);
                MDC.remove(FlowTracing.FLOW);
            }
        }

        private static String traceIdOf(HttpServletRequest request) {
            TracingObservationHandler.TracingContext tracing = ServerHttpObservationFilter.findObservationContext(request)
                    .map(context -> (TracingObservationHandler.TracingContext) context.get(TracingObservationHandler.TracingContext.class))
                    .orElse(null);
            return tracing == null || tracing.getSpan() == null ? null : tracing.getSpan().context().traceId();
        }

        @Override
        protected void log(CharArrayWriter message) {
            ACCESS.info(IDENTIFIER.matcher(message.toString()).replaceAll("******"));
        }
    }
}
