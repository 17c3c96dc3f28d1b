package io.provisioninghub.routes.web;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11JsseProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.WebServerSslBundle;
import org.springframework.stereotype.Component;

/**
 * The operator plane's own HTTPS connector ({@code hub.operator.port}, default 8444): the operator API, the sandbox's
 * authorization server and, later, the console. It is a third connector of the same Tomcat, with the same certificate
 * and TLS settings as the device plane's HTTPS connector ({@code server.ssl.*}); {@link PlaneFilter} keeps each plane's
 * paths on its own ports. A separate port lets the network keep operators and devices apart (a NetworkPolicy, an
 * internal load balancer) without any balancer having to look into TLS (docs/security.md).
 */
@Component
public class OperatorConnector implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final int port;
    private final ServerProperties server;
    private final SslBundles sslBundles;
    private volatile Connector connector;

    OperatorConnector(@Value("${hub.operator.port:8444}") int port, ServerProperties server, SslBundles sslBundles) {
        this.port = port;
        this.server = server;
        this.sslBundles = sslBundles;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        Ssl ssl = server.getSsl();
        if (ssl == null || !ssl.isEnabled()) {
            throw new IllegalStateException("the operator plane is HTTPS only: set server.ssl.* (the sandbox makes a "
                    + "development certificate by itself)");
        }
        Connector https = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        https.setPort(port);
        https.setScheme("https");
        https.setSecure(true);
        if (!(https.getProtocolHandler() instanceof AbstractHttp11JsseProtocol<?> protocol)) {
            throw new IllegalStateException("Tomcat's default protocol does not support TLS");
        }
        protocol.setSSLEnabled(true);
        protocol.setMaxKeepAliveRequests(server.getTomcat().getMaxKeepAliveRequests());
        protocol.addSslHostConfig(hostConfig(WebServerSslBundle.get(ssl, sslBundles)));
        factory.addAdditionalTomcatConnectors(https);
        this.connector = https;
    }

    /** The certificate and TLS options of {@code server.ssl.*}, as Spring Boot gives them to its own connector. */
    private static SSLHostConfig hostConfig(SslBundle bundle) {
        SSLHostConfig config = new SSLHostConfig();
        config.setSslProtocol(bundle.getProtocol());
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(config, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystore(bundle.getStores().getKeyStore());
        String storePassword = bundle.getStores().getKeyStorePassword();
        certificate.setCertificateKeystorePassword(storePassword != null ? storePassword : "");
        if (bundle.getKey().getPassword() != null) {
            certificate.setCertificateKeyPassword(bundle.getKey().getPassword());
        }
        if (bundle.getKey().getAlias() != null) {
            certificate.setCertificateKeyAlias(bundle.getKey().getAlias());
        }
        config.addCertificate(certificate);
        if (bundle.getOptions().getCiphers() != null) {
            config.setCiphers(String.join(",", bundle.getOptions().getCiphers()));
        }
        if (bundle.getOptions().getEnabledProtocols() != null) {
            config.setProtocols(String.join(",", bundle.getOptions().getEnabledProtocols()));
        }
        return config;
    }

    /** Whether a request arrived on this connector (its local port, known once Tomcat has bound it). */
    boolean accepted(int localPort) {
        Connector https = connector;
        return https != null && localPort == https.getLocalPort();
    }

    /** The port the connector listens on (the configured one, or the one chosen for port 0), -1 before it starts. */
    public int localPort() {
        Connector https = connector;
        return https == null ? -1 : https.getLocalPort();
    }
}
