package io.provisioninghub.routes.benchmark;

import io.provisioninghub.routes.support.HubInstance;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** The hub under test: its two ports, and a TLS client context that trusts its development certificate only. */
final class Target {

    static final String HOST = "localhost";
    static final String ADDRESS = "127.0.0.1";

    private final int httpPort;
    private final int httpsPort;
    private final SSLSocketFactory tls;

    Target(HubInstance hub) {
        this.httpPort = hub.httpPort();
        this.httpsPort = hub.httpsPort();
        this.tls = trusting(hub).getSocketFactory();
    }

    HttpConnection plainConnection() {
        return new HttpConnection(HOST, ADDRESS, httpPort, null);
    }

    HttpConnection tlsConnection() {
        return new HttpConnection(HOST, ADDRESS, httpsPort, tls);
    }

    private static SSLContext trusting(HubInstance hub) {
        Path keyStore = Path.of(hub.property("server.ssl.key-store"));
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore source = KeyStore.getInstance("PKCS12");
            source.load(in, hub.property("server.ssl.key-store-password").toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("hub", source.getCertificate(hub.property("server.ssl.key-alias")));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the sandbox certificate", e);
        }
    }
}
