package io.provisioninghub.routes.sandbox;

import io.provisioninghub.connectors.billing.simulator.BillingSimulator;
import io.provisioninghub.connectors.broker.EmbeddedArtemisBroker;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.connectors.events.EmbeddedKafkaBroker;
import io.provisioninghub.connectors.postgres.EmbeddedPostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The stand-ins the sandbox started, available as the bean {@code hubSandboxSystems} (the tests use it to inject
 * faults into the billing simulator, for example). Closing it stops them in the reverse order of their start.
 */
public final class SandboxSystems implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSystems.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile EmbeddedPostgresServer postgres;
    private volatile BillingSimulator billing;
    private volatile EmbeddedKafkaBroker kafka;
    private volatile EmbeddedArtemisBroker artemis;
    private volatile SmscSimulator smsc;

    synchronized void started(AutoCloseable system) {
        started.push(system);
        if (system instanceof EmbeddedPostgresServer p) {
            postgres = p;
        } else if (system instanceof BillingSimulator b) {
            billing = b;
        } else if (system instanceof EmbeddedKafkaBroker k) {
            kafka = k;
        } else if (system instanceof EmbeddedArtemisBroker a) {
            artemis = a;
        } else if (system instanceof SmscSimulator s) {
            smsc = s;
        }
    }

    public Optional<EmbeddedPostgresServer> postgres() {
        return Optional.ofNullable(postgres);
    }

    public Optional<BillingSimulator> billing() {
        return Optional.ofNullable(billing);
    }

    public Optional<EmbeddedKafkaBroker> kafka() {
        return Optional.ofNullable(kafka);
    }

    public Optional<EmbeddedArtemisBroker> artemis() {
        return Optional.ofNullable(artemis);
    }

    public Optional<SmscSimulator> smsc() {
        return Optional.ofNullable(smsc);
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable system = started.pop();
            try {
                system.close();
            } catch (Exception e) {
                LOG.warn("Stopping sandbox stand-in {} failed: {}", system.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
