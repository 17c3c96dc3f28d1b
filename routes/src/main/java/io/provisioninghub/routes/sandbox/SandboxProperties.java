package io.provisioninghub.routes.sandbox;

import java.nio.file.Path;

/**
 * {@code hub.sandbox.*}: which stand-ins the hub starts for itself (requirement OPS-1). Read from the
 * Environment before the application context exists (the stand-ins must be up before the DataSources and
 * the brokers' clients), so this is a plain record built by {@link SandboxInitializer}, not a bean.
 */
record SandboxProperties(boolean enabled, Path dataDirectory,
                         boolean postgres, int postgresPort,
                         boolean billing, int billingPort,
                         boolean kafka, int kafkaPort, int kafkaControllerPort,
                         boolean artemis, int artemisPort,
                         boolean smsc, int smscPort, int smscHttpPort, boolean smscLogMessages,
                         boolean developmentCertificate) {

    static SandboxProperties from(org.springframework.core.env.Environment env) {
        return new SandboxProperties(
                env.getProperty("hub.sandbox.enabled", Boolean.class, false),
                Path.of(env.getProperty("hub.sandbox.data-dir", "data/sandbox")),
                env.getProperty("hub.sandbox.postgres.enabled", Boolean.class, true),
                env.getProperty("hub.sandbox.postgres.port", Integer.class, 54329),
                env.getProperty("hub.sandbox.billing.enabled", Boolean.class, true),
                env.getProperty("hub.sandbox.billing.port", Integer.class, 8090),
                env.getProperty("hub.sandbox.kafka.enabled", Boolean.class, true),
                env.getProperty("hub.sandbox.kafka.port", Integer.class, 9092),
                env.getProperty("hub.sandbox.kafka.controller-port", Integer.class, 9093),
                env.getProperty("hub.sandbox.artemis.enabled", Boolean.class, true),
                env.getProperty("hub.sandbox.artemis.port", Integer.class, 61616),
                env.getProperty("hub.sandbox.smsc.enabled", Boolean.class, true),
                env.getProperty("hub.sandbox.smsc.port", Integer.class, 2775),
                env.getProperty("hub.sandbox.smsc.http-port", Integer.class, 8091),
                env.getProperty("hub.sandbox.smsc.log-messages", Boolean.class, true),
                env.getProperty("hub.sandbox.tls.development-certificate", Boolean.class, true));
    }
}
