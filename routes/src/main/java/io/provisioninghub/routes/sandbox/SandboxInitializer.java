package io.provisioninghub.routes.sandbox;

import io.provisioninghub.connectors.billing.simulator.BillingSimulator;
import io.provisioninghub.connectors.broker.EmbeddedArtemisBroker;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulatorSettings;
import io.provisioninghub.connectors.events.EmbeddedKafkaBroker;
import io.provisioninghub.connectors.hlr.HlrStandIn;
import io.provisioninghub.connectors.postgres.EmbeddedPostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Starts the sandbox's stand-ins (requirement OPS-1) before the application context creates its beans, and
 * points the hub's configuration at them. A stand-in starts only when {@code hub.sandbox.enabled=true}, its own
 * {@code hub.sandbox.<system>.enabled} is not false, and its system's connection property is not set: replacing
 * one stand-in by the real system is configuration alone — set that system's connection properties
 * (docs/configuration.md) and the others stay in the sandbox.
 *
 * <p>The stand-ins start in parallel (the sandbox must be ready in ≤ 15 s on 2 cores) and stop after every
 * bean that uses them, because they are registered as the first disposable bean of the context.
 */
public class SandboxInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxInitializer.class);
    /** The property source with the settings the sandbox made for its stand-ins. */
    static final String PROPERTY_SOURCE = "hubSandbox";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    private static final String SANDBOX_SMSC_SYSTEM_ID = "hub";
    private static final String SANDBOX_SMSC_PASSWORD = "sandbox";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        SandboxProperties sandbox = SandboxProperties.from(env);
        if (!sandbox.enabled()) {
            return;
        }
        long started = System.nanoTime();
        // The billing stand-in turns TCP_NODELAY on for the JDK HTTP server (BillingSimulator's static block), but the
        // JDK reads the switch once, when the first HttpServer of the JVM is created, and the SMSC simulator's HTTP
        // server, started in parallel, usually comes first: every billing answer then waited ~40 ms for a delayed ACK
        // (measured: the rotation intake's billing lookups, docs/benchmarks.md). Set before any stand-in starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        Path dir = sandbox.dataDirectory().toAbsolutePath();
        Map<String, Object> props = new LinkedHashMap<>();
        SandboxSystems running = new SandboxSystems();
        boolean hubDatabase = !configured(env, "spring.datasource.url");
        boolean hlr = !configured(env, "hub.hlr.datasource.url");
        boolean billing = sandbox.billing() && !configured(env, "hub.billing.base-url");
        try {
            CompletableFuture<Void> databases = !sandbox.postgres() || !(hubDatabase || hlr || billing)
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> startDatabases(sandbox, dir, props, running, hubDatabase, hlr, billing));
            CompletableFuture<Void> kafka = !sandbox.kafka() || configured(env, "camel.component.kafka.brokers")
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> {
                        EmbeddedKafkaBroker broker = unchecked(() -> EmbeddedKafkaBroker.start(dir.resolve("kafka"),
                                sandbox.kafkaPort(), sandbox.kafkaControllerPort()));
                        register(running, broker, props, Map.of(
                                "camel.component.kafka.brokers", broker.bootstrapServers(),
                                "spring.kafka.bootstrap-servers", broker.bootstrapServers()));
                    });
            CompletableFuture<Void> artemis = !sandbox.artemis() || configured(env, "spring.artemis.broker-url")
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> {
                        EmbeddedArtemisBroker broker = unchecked(() ->
                                EmbeddedArtemisBroker.start(dir.resolve("artemis"), sandbox.artemisPort()));
                        register(running, broker, props, Map.of(
                                "spring.artemis.mode", "native",
                                "spring.artemis.broker-url", broker.brokerUrl()));
                    });
            CompletableFuture<Void> smsc = !sandbox.smsc() || configured(env, "hub.smsc.host")
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> {
                        SmscSimulator simulator = unchecked(() -> SmscSimulator.start(new SmscSimulatorSettings(
                                sandbox.smscPort(), sandbox.smscHttpPort(), SANDBOX_SMSC_SYSTEM_ID,
                                SANDBOX_SMSC_PASSWORD, sandbox.smscLogMessages(), null)));
                        register(running, simulator, props, Map.of(
                                "hub.smsc.host", "127.0.0.1",
                                "hub.smsc.port", Integer.toString(simulator.smppPort()),
                                "hub.smsc.system-id", SANDBOX_SMSC_SYSTEM_ID,
                                "hub.smsc.password", SANDBOX_SMSC_PASSWORD));
                    });
            if (sandbox.developmentCertificate() && env.getProperty("server.ssl.key-store") == null) {
                Path keyStore = unchecked(() -> DevelopmentCertificate.ensure(dir.resolve("tls/sandbox-keystore.p12")));
                synchronized (props) {
                    props.put("server.ssl.enabled", "true");
                    props.put("server.ssl.key-store", keyStore.toString());
                    props.put("server.ssl.key-store-type", "PKCS12");
                    props.put("server.ssl.key-store-password", DevelopmentCertificate.STORE_PASSWORD);
                    props.put("server.ssl.key-alias", DevelopmentCertificate.ALIAS);
                }
            }
            if (!configured(env, "hub.device-identity.sandbox-ca-directory")) {
                // SIGNUP-1: the sandbox trusts its own test manufacturer CA (created there on first start), so a
                // person can mint a device certificate and try the sign-up flow. Never set in a real deployment.
                synchronized (props) {
                    props.put("hub.device-identity.sandbox-ca-directory", dir.resolve("manufacturer-ca").toString());
                }
            }
            CompletableFuture.allOf(databases, kafka, artemis, smsc).join();
        } catch (RuntimeException e) {
            running.close();
            throw new IllegalStateException("the sandbox could not start: " + rootMessage(e), e);
        }
        env.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, props));
        if (context.getBeanFactory() instanceof DefaultListableBeanFactory beans) {
            // The first disposable bean registered is destroyed last: after Camel and the pools stop using it.
            beans.registerSingleton("hubSandboxSystems", running);
            beans.registerDisposableBean("hubSandboxSystems", running::close);
        }
        LOG.info("Sandbox stand-ins started in {} ms under {}", (System.nanoTime() - started) / 1_000_000, dir);
    }

    private static boolean configured(ConfigurableEnvironment env, String property) {
        String value = env.getProperty(property);
        return value != null && !value.isBlank();
    }

    private static void startDatabases(SandboxProperties sandbox, Path dir, Map<String, Object> props,
                                       SandboxSystems running, boolean hubDatabase, boolean hlr, boolean billing) {
        EmbeddedPostgresServer postgres = unchecked(() ->
                EmbeddedPostgresServer.start(dir.resolve("postgres"), sandbox.postgresPort()));
        Map<String, Object> settings = new LinkedHashMap<>();
        if (hubDatabase) {
            settings.put("spring.datasource.url", unchecked(() -> postgres.createDatabaseIfMissing("hub")));
            settings.put("spring.datasource.username", postgres.username());
            settings.put("spring.datasource.password", "");
        }
        register(running, postgres, props, settings);
        // The HLR stand-in seeds 100,000 subscribers: do it here, beside the billing stand-in's seeding and the
        // brokers' start, rather than on the main thread once the context is up.
        CompletableFuture<Void> hlrSeeded = !hlr ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(() -> {
            String url = unchecked(() -> postgres.createDatabaseIfMissing("hlr"));
            HlrStandIn.migrate(url, postgres.username(), "");
            register(running, null, props, Map.of(
                    "hub.hlr.datasource.url", url,
                    "hub.hlr.datasource.username", postgres.username(),
                    "hub.hlr.datasource.password", ""));
        });
        if (billing) {
            String billingUrl = unchecked(() -> postgres.createDatabaseIfMissing("billing"));
            BillingSimulator simulator = unchecked(() -> BillingSimulator.start(
                    io.provisioninghub.connectors.billing.simulator.BillingSimulatorSettings.of(
                            sandbox.billingPort(), billingUrl, postgres.username(), "")));
            register(running, simulator, props, Map.of("hub.billing.base-url", simulator.baseUrl()));
        }
        hlrSeeded.join();
    }

    private static void register(SandboxSystems running, AutoCloseable system, Map<String, Object> props,
                                 Map<String, Object> systemProps) {
        if (system != null) {
            running.started(system);
        }
        synchronized (props) {
            props.putAll(systemProps);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t.getCause() != null) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Step<T> step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
