package io.provisioninghub.routes.web;

import org.apache.catalina.valves.AbstractAccessLogValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

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

        @Override
        protected void log(CharArrayWriter message) {
            ACCESS.info(IDENTIFIER.matcher(message.toString()).replaceAll("******"));
        }
    }
}
