package io.provisioninghub.routes.support;

import io.provisioninghub.routes.ProvisioningHubApplication;
import io.provisioninghub.routes.sandbox.SandboxSystems;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One running Provisioning Hub for end-to-end tests: the real application with its sandbox stand-ins (or with
 * some of them pointed elsewhere), on random ports, driven over real HTTP and HTTPS like a device.
 */
public final class HubInstance implements AutoCloseable {

    private static HubInstance shared;
    /** Receives the shared hub's spans (OTLP over HTTP): docs/observability.md#traces. */
    private static OtlpReceiver traces;

    private final ConfigurableApplicationContext context;
    private final Path dataDirectory;
    /** The data directory was made up here (not given by the test): it goes with the instance. */
    private final boolean ownsDataDirectory;

    private HubInstance(ConfigurableApplicationContext context, Path dataDirectory, boolean ownsDataDirectory) {
        this.context = context;
        this.dataDirectory = dataDirectory;
        this.ownsDataDirectory = ownsDataDirectory;
    }

    /** The instance most tests share (started once per test JVM, stopped at JVM exit). */
    public static synchronized HubInstance shared() {
        if (shared == null) {
            traces = OtlpReceiver.start();
            // The shared hub exports its spans as a deployment with a collector would, here to the test's receiver;
            // every second rather than every 5 s, so that a test sees them soon. It records only the traces a test
            // asks for (a traceparent with the sampled flag): recording every test's work would load every test.
            shared = start(Map.of("management.otlp.tracing.endpoint", traces.endpoint(),
                    "management.tracing.opentelemetry.export.schedule-delay", "1s",
                    "management.tracing.sampling.probability", "0.0"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.close();
                traces.close();
            }));
        }
        return shared;
    }

    /** The spans the shared hub exported. */
    public static synchronized OtlpReceiver sharedTraces() {
        shared();
        return traces;
    }

    /** A fresh sandbox in its own data directory, with every port random; {@code overrides} win. */
    public static HubInstance start(Map<String, String> overrides) {
        Path dir = Path.of(overrides.getOrDefault("hub.sandbox.data-dir",
                Path.of("target", "hub-instances", UUID.randomUUID().toString()).toString())).toAbsolutePath();
        Map<String, String> props = baseProperties(dir);
        props.putAll(overrides);
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ProvisioningHubApplication.class)
                .run(args.toArray(String[]::new));
        return new HubInstance(context, dir, !overrides.containsKey("hub.sandbox.data-dir"));
    }

    /** The test defaults of every hub: a sandbox in {@code dir}, every port random, limits fit for tests. */
    static Map<String, String> baseProperties(Path dir) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("hub.sandbox.enabled", "true");
        props.put("hub.sandbox.data-dir", dir.toString());
        props.put("server.port", "0");
        props.put("hub.http.port", "0");
        props.put("hub.operator.port", "0");
        props.put("management.server.port", "0");
        props.put("hub.sandbox.postgres.port", "0");
        props.put("hub.sandbox.billing.port", "0");
        props.put("hub.sandbox.kafka.port", "0");
        props.put("hub.sandbox.kafka.controller-port", "0");
        props.put("hub.sandbox.artemis.port", "0");
        props.put("hub.sandbox.smsc.port", "0");
        props.put("hub.sandbox.smsc.http-port", "0");
        // The simulator's log line shows each SMS text (for a person trying the sandbox); tests read the PDUs instead.
        props.put("hub.sandbox.smsc.log-messages", "false");
        props.put("hub.logging.redaction-key", "test-redaction-key");
        // Every test device calls from 127.0.0.1: the per-address SMS limit is tested on a hub of its own.
        props.put("hub.otp.limits.per-client-per-minute", "100000");
        props.put("hub.otp.limits.per-client-per-day", "1000000");
        props.put("hub.sms.rate-per-second", "200");
        props.put("hub.sms.retry-initial-delay", "200ms");
        props.put("hub.sms.retry-max-delay", "1s");
        props.put("hub.sms.leader-check-interval", "300ms");
        props.put("hub.rotation.check-interval", "500ms");
        // Gauges read from the database and the brokers refresh every second (15 s by default).
        props.put("hub.metrics.refresh-interval", "1s");
        props.put("hub.metrics.settled-refresh-interval", "2s");
        return props;
    }

    /**
     * A second replica: no stand-in of its own, pointed at {@code primary}'s PostgreSQL, HLR, billing, Kafka and
     * Artemis through configuration alone; {@code overrides} win.
     */
    public static HubInstance startReplicaOf(HubInstance primary, Map<String, String> overrides) {
        Map<String, String> props = replicaProperties(primary);
        props.putAll(overrides);
        return start(props);
    }

    /** What a replica of {@code primary} is configured with: no stand-in of its own, the primary's systems. */
    static Map<String, String> replicaProperties(HubInstance primary) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("hub.sandbox.postgres.enabled", "false");
        props.put("hub.sandbox.billing.enabled", "false");
        props.put("hub.sandbox.kafka.enabled", "false");
        props.put("hub.sandbox.artemis.enabled", "false");
        props.put("hub.sandbox.smsc.enabled", "false");
        for (String name : List.of("hub.smsc.host", "hub.smsc.port", "hub.smsc.system-id", "hub.smsc.password","spring.datasource.url", "spring.datasource.username", "hub.hlr.datasource.url",
                "hub.hlr.datasource.username", "hub.billing.base-url", "camel.component.kafka.brokers",
                "spring.artemis.broker-url")) {
            props.put(name, primary.property(name));
        }
        props.put("hub.hlr.stand-in.migrate", "false");
        return props;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String property(String name) {
        return context.getEnvironment().getProperty(name);
    }

    /** Port of the HTTPS connector (the main one). */
    public int httpsPort() {
        return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Port of the extra plain-HTTP connector. */
    public int httpPort() {
        TomcatWebServer server = (TomcatWebServer) ((ServletWebServerApplicationContext) context).getWebServer();
        for (Connector connector : server.getTomcat().getService().findConnectors()) {
            if (!connector.getSecure() && "http".equals(connector.getScheme())) {
                return connector.getLocalPort();
            }
        }
        throw new IllegalStateException("no plain-HTTP connector");
    }

    /** Port of the operator plane's HTTPS connector. */
    public int operatorPort() {
        return context.getBean(io.provisioninghub.routes.web.OperatorConnector.class).localPort();
    }

    /** Port of the management server (health, prometheus), plain HTTP on loopback. */
    public int managementPort() {
        return Integer.parseInt(property("local.management.port"));
    }

    /** An operator client with the sandbox client of {@code role} ("care", "security" or "admin"). */
    public OperatorClient operator(String role) {
        return new OperatorClient(this, role, "sandbox-" + role);
    }

    public DeviceClient device() {
        return new DeviceClient(this);
    }

    public JdbcTemplate hubDatabase() {
        return new JdbcTemplate(context.getBean("dataSource", DataSource.class));
    }

    public JdbcTemplate hlrDatabase() {
        return new JdbcTemplate(context.getBean("hlrDataSource", DataSource.class));
    }

    public SandboxSystems sandbox() {
        return context.getBean(SandboxSystems.class);
    }

    /** The sandbox's SMSC simulator, as seen by a test reading what "was sent". */
    public SmscInbox smsc() {
        return new SmscInbox(sandbox().smsc().orElseThrow(() -> new IllegalStateException("no SMSC simulator")));
    }

    /** TLS for the test clients: trusts the sandbox's development certificate, and nothing else. */
    public javax.net.ssl.SSLContext sslContext() {
        try {
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sandbox's development certificate, to trust it (and only it) in the test clients. */
    KeyStore trustStore() {
        Path keyStore = Path.of(property("server.ssl.key-store"));
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore source = KeyStore.getInstance("PKCS12");
            source.load(in, property("server.ssl.key-store-password").toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("hub", source.getCertificate(property("server.ssl.key-alias")));
            return trust;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the hub and its stand-ins. A data directory this class made up is deleted then (PostgreSQL, Kafka and
     * Artemis take ~500 MB per instance: a test run starts dozens); one the test gave is kept, for its next start.
     */
    @Override
    public void close() {
        context.close();
        if (ownsDataDirectory) {
            org.springframework.util.FileSystemUtils.deleteRecursively(dataDirectory.toFile());
        }
    }
}
