package io.provisioninghub.routes.sms;

import io.provisioninghub.routes.common.AdvisoryLockLeadership;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;

/**
 * Elects the one replica that drains the SMS outbox, so that {@code hub.sms.rate-per-second} holds for the
 * deployment and not per replica (INT-3). The election is a PostgreSQL session-level advisory lock on a connection
 * held for as long as the replica leads ({@link AdvisoryLockLeadership}): when the replica dies, PostgreSQL drops the
 * connection and the lock, and another replica takes over within {@code hub.sms.leader-check-interval}. A leader that
 * loses its connection stops sending at its next check. A replica with {@code hub.sms.sender-enabled=false} never
 * competes.
 */
@Component
class SmsSenderLeadership implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SmsSenderLeadership.class);

    private final CamelContext camel;
    private final AdvisoryLockLeadership lock;
    private final boolean senderEnabled;

    SmsSenderLeadership(DataSource dataSource, CamelContext camel, SmsProperties properties) {
        this.camel = camel;
        this.lock = new AdvisoryLockLeadership(dataSource, properties.leaderLockKey(), "holds the SMS sender's lock");
        this.senderEnabled = properties.senderEnabled();
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${hub.sms.leader-check-interval:1s}")
    synchronized void check() {
        if (!senderEnabled) {
            return;
        }
        boolean leading = lock.check();
        try {
            ServiceStatus status = camel.getRouteController().getRouteStatus(SmsOutboxRoute.ROUTE_ID);
            if (leading && status != null && !status.isStarted() && !status.isStarting()) {
                LOG.info("This replica now sends the SMS outbox");
                camel.getRouteController().startRoute(SmsOutboxRoute.ROUTE_ID);
            } else if (!leading && status != null && status.isStarted()) {
                LOG.warn("This replica lost the SMS sender's lock; stopping the sender");
                camel.getRouteController().stopRoute(SmsOutboxRoute.ROUTE_ID);
            }
        } catch (Exception e) {
            LOG.warn("Could not switch the SMS sender: {}", e.toString());
        }
    }

    @Override
    public synchronized void destroy() {
        lock.release();
    }
}
