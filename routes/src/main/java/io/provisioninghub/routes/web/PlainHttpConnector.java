package io.provisioninghub.routes.web;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * RCC.14 §2.2: the first configuration request is plain HTTP (so the operator's gateway can enrich it), the
 * second is HTTPS. Spring Boot's main connector serves HTTPS ({@code server.port}, default 8443); this adds the
 * plain-HTTP connector ({@code hub.http.port}, default 8080). Both reach the same routes.
 */
@Component
@ConditionalOnProperty(name = "server.ssl.enabled", havingValue = "true")
class PlainHttpConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final int port;
    private final int maxKeepAliveRequests;

    PlainHttpConnector(@Value("${hub.http.port:8080}") int port, ServerProperties server) {
        this.port = port;
        this.maxKeepAliveRequests = server.getTomcat().getMaxKeepAliveRequests();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(port);
        connector.setScheme("http");
        connector.setSecure(false);
        // Spring Boot applies server.tomcat.* to its main connector only.
        if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
            http.setMaxKeepAliveRequests(maxKeepAliveRequests);
        }
        factory.addAdditionalTomcatConnectors(connector);
    }
}
