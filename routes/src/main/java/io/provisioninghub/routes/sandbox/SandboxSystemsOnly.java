package io.provisioninghub.routes.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * The sandbox's systems alone, for hub replicas to join ({@code hub.sandbox.systems-only=true}, docs/runbook.md#adding-a-replica):
 * PostgreSQL (the hub's, the HLR's and billing's databases), the billing simulator, Kafka, Artemis, the SMSC simulator,
 * the development certificate and the test manufacturer CA, started as the hub's sandbox starts them, in a JVM that
 * runs no hub. It writes what a replica needs to join them to {@code <data-dir>/replica.properties}; every replica
 * then starts with {@code --spring.config.import=file:<that file>} and its own ports and data directory, and they
 * share sessions, OTPs, tokens, versions, campaigns and the SMS outbox, and their operator tokens (one signing key).
 * When a hub runs the sandbox itself, its Kafka, Artemis and billing simulator live in its JVM and stop with it: this
 * mode takes them out of any one replica.
 */
@Configuration(proxyBeanMethods = false)
public class SandboxSystemsOnly {

    static final String PROPERTY = "hub.sandbox.systems-only";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxSystemsOnly.class);

    /** Whether {@code args}, the system properties or the environment ask for this mode. */
    public static boolean requested(String[] args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        return env.getProperty(PROPERTY, Boolean.class, false);
    }

    /** Starts the systems, writes replica.properties, and returns when the JVM is asked to stop (SIGTERM). */
    public static void run(String[] args) throws InterruptedException {
        ConfigurableApplicationContext context = start(args);
        CountDownLatch stopped = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                stopped.countDown();
            }
        });
        stopped.await();
    }

    /** Starts the systems (the caller closes the context to stop them) and writes replica.properties. */
    public static ConfigurableApplicationContext start(String[] args) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SandboxSystemsOnly.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .properties("hub.sandbox.enabled=true").run(args);
        Path file = replicaProperties(context.getEnvironment());
        LOG.info("Sandbox systems up, no hub in this JVM. A replica joins them with: java -jar hub-routes.jar "
                + "--spring.config.import=file:{} plus ports and a data directory of its own (docs/runbook.md)", file);
        return context;
    }

    /** Writes the connection settings the sandbox made (and a replica's own switches) next to its data. */
    static Path replicaProperties(ConfigurableEnvironment env) {
        Properties replica = new Properties();
        PropertySource<?> made = env.getPropertySources().get(SandboxInitializer.PROPERTY_SOURCE);
        if (made instanceof EnumerablePropertySource<?> settings) {
            for (String name : settings.getPropertyNames()) {
                replica.setProperty(name, String.valueOf(settings.getProperty(name)));
            }
        }
        // The schemas and fixtures are there already; a replica must not migrate the HLR stand-in again.
        replica.setProperty("hub.hlr.stand-in.migrate", "false");
        // One signing key for every replica's sandbox authorization server: a token from one is good at all.
        Path dataDirectory = SandboxProperties.from(env).dataDirectory().toAbsolutePath();
        replica.setProperty("hub.operator.authorization-server.key-file",
                dataDirectory.resolve("oauth/signing-key.jwk").toString());
        Path file = dataDirectory.resolve("replica.properties");
        try {
            Files.createDirectories(dataDirectory);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("# Written by the sandbox in systems-only mode: a hub replica joins its systems with\n");
                out.write("# --spring.config.import=file:" + file + " (docs/runbook.md#adding-a-replica).\n");
                out.write("# Sandbox credentials only: the database has no password, the OTP key is the sandbox's.\n");
                for (var entry : new TreeMap<>(replica).entrySet()) {
                    out.write(entry.getKey() + "=" + escape(String.valueOf(entry.getValue())) + "\n");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + file, e);
        }
        return file;
    }

    /** A value in .properties syntax (backslashes and a leading space escaped; paths and URLs otherwise plain). */
    private static String escape(String value) {
        String escaped = value.replace("\\", "\\\\");
        return escaped.startsWith(" ") ? "\\" + escaped : escaped;
    }
}
