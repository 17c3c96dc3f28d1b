package io.provisioninghub.routes.web;

import org.apache.catalina.valves.AccessLogValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import java.io.CharArrayWriter;
import java.util.regex.Pattern;

/**
 * The HTTP access log, with no subscriber identifier in it (issue 2, OPS-3). The pattern leaves out the query
 * string (Table 1 carries IMSI and IMEI) and every request header (the enrichment headers carry the MSISDN);
 * on top of that every run of six or more digits in a line — an IMSI, MSISDN or IMEI in a path such as the
 * operator API's — is masked before the line is written, so a new endpoint cannot leak one by accident.
 */
@Component
@ConditionalOnProperty(name = "hub.access-log.enabled", havingValue = "true", matchIfMissing = true)
class RedactingAccessLog implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final String PATTERN = "%a %t \"%m %U %H\" %s %b %{ms}Tms";

    private final String directory;

    RedactingAccessLog(@Value("${hub.access-log.directory:logs}") String directory) {
        this.directory = directory;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Valve valve = new Valve();
        valve.setPattern(PATTERN);
        valve.setDirectory(directory);
        valve.setPrefix("access_log");
        valve.setSuffix(".log");
        valve.setBuffered(false);
        valve.setRotatable(true);
        factory.addEngineValves(valve);
    }

    static final class Valve extends AccessLogValve {

        private static final Pattern IDENTIFIER = Pattern.compile("[0-9]{6,}");

        @Override
        public void log(CharArrayWriter message) {
            String redacted = IDENTIFIER.matcher(message.toString()).replaceAll("******");
            CharArrayWriter out = new CharArrayWriter(redacted.length());
            out.append(redacted);
            super.log(out);
        }
    }
}
