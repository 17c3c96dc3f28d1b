package io.provisioninghub.connectors.deviceidentity.sandbox;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.provisioninghub.connectors.deviceidentity.DeviceCertificates;
import io.provisioninghub.connectors.deviceidentity.DeviceIdentity;
import io.provisioninghub.connectors.deviceidentity.DeviceIdentityProperties;
import io.provisioninghub.connectors.deviceidentity.ManufacturerTrust;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SIGNUP-1 seen from the device: the sandbox device presents its certificate in mutual TLS (over a real TLS
 * connection on loopback) and decrypts what the hub encrypts to the key of its validated identity, which a
 * second device cannot.
 */
class SandboxDeviceTest {

    static final String IMEI = "352099001761481";

    @TempDir
    static Path data;

    static TestManufacturerCa acme;
    static DeviceCertificates hub;

    @BeforeAll
    static void manufacturer() {
        acme = TestManufacturerCa.loadOrCreate(data.resolve("acme"), "Acme Devices");
        DeviceIdentityProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "hub.device-identity.manufacturers[0].ca-files[0]", acme.rootCertificateFile().toString())))
                .bindOrCreate("hub.device-identity", Bindable.of(DeviceIdentityProperties.class));
        hub = new DeviceCertificates(ManufacturerTrust.load(properties, Clock.systemUTC()), properties,
                Clock.systemUTC());
    }

    @Test
    void signup1_aProfileEncryptedToTheValidatedIdentitysKeyOpensOnlyOnThatDevice() throws Exception {
        SandboxDevice band = new SandboxDevice(acme.mintImei(IMEI));
        SandboxDevice otherBand = new SandboxDevice(acme.mintImei(IMEI));
        SandboxDevice rsaBand = new SandboxDevice(acme.device("IMEI:" + IMEI).rsa(2048).mint());

        String toBand = encrypt(hub.validate(band.credentials().chain()), "{\"imsi\":\"001010000000001\"}");
        String toRsaBand = encrypt(hub.validate(rsaBand.credentials().chain()), "{\"imsi\":\"001010000000002\"}");

        assertThat(band.decrypt(toBand)).isEqualTo("{\"imsi\":\"001010000000001\"}");
        assertThat(rsaBand.decrypt(toRsaBand)).isEqualTo("{\"imsi\":\"001010000000002\"}");
        assertThatThrownBy(() -> otherBand.decrypt(toBand)).isInstanceOf(JOSEException.class);
    }

    @Test
    void signup1_theDevicePresentsItsChainInMutualTlsAndTheHubValidatesWhatArrived() throws Exception {
        SandboxDevice band = new SandboxDevice(acme.mintImei(IMEI));
        // The hub's side of TLS: its own server certificate (from another test CA), and a trust manager that
        // asks for a client certificate without judging it; the chain is judged by DeviceCertificates after.
        TestManufacturerCa serverCa = TestManufacturerCa.loadOrCreate(data.resolve("server-ca"), "Hub TLS");
        DeviceCredentials serverCredentials = serverCa.device("SN:hub").extendedKeyUsage().mint();
        KeyManagerFactory serverKeys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        serverKeys.init(serverCredentials.keyStore("x".toCharArray()), "x".toCharArray());
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(serverKeys.getKeyManagers(), new TrustManager[]{new AnyClientCertificate()}, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("hub-ca", serverCa.rootCertificate());
        TrustManagerFactory clientTrust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        clientTrust.init(trusted);
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        client.init(band.keyManagers(), clientTrust.getTrustManagers(), null);

        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<List<X509Certificate>> received = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket connection = (SSLSocket) listener.accept()) {
                    connection.startHandshake();
                    return Arrays.asList((X509Certificate[]) connection.getSession().getPeerCertificates());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket device = (SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                device.startHandshake();
                List<X509Certificate> chain = received.get(10, TimeUnit.SECONDS);

                DeviceIdentity identity = hub.validate(chain);

                assertThat(chain).hasSize(2);
                assertThat(identity.value()).isEqualTo(IMEI);
                assertThat(identity.fingerprint()).isEqualTo(band.credentials().fingerprint());
            }
        }
    }

    private static String encrypt(DeviceIdentity device, String profile) throws JOSEException {
        JWK key = device.publicJwk();
        JWEObject jwe;
        if (key instanceof ECKey) {
            jwe = new JWEObject(new JWEHeader(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM), new Payload(profile));
            jwe.encrypt(new ECDHEncrypter((ECKey) key));
        } else {
            jwe = new JWEObject(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM), new Payload(profile));
            jwe.encrypt(new RSAEncrypter((RSAKey) key));
        }
        return jwe.serialize();
    }

    /** Requests a client certificate and accepts any: judging it is DeviceCertificates' job, with clear reasons. */
    private static final class AnyClientCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
