package io.provisioninghub.routes.sms;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Elects the one replica that drains the SMS outbox, so that {@code hub.sms.rate-per-second} holds for the
 * deployment and not per replica (INT-3). The election is a PostgreSQL session-level advisory lock on a connection
 * held for as long as the replica leads: when the replica dies, PostgreSQL drops the connection and the lock, and
 * another replica takes over within {@code hub.sms.leader-check-interval}. A leader that loses its connection stops
 * sending at its next check.
 */
@Component
class SmsSenderLeadership implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SmsSenderLeadership.class);

    private final DataSource dataSource;
    private final CamelContext camel;
    private final long lockKey;
    private final boolean senderEnabled;
    private Connection lockConnection;

    SmsSenderLeadership(DataSource dataSource, CamelContext camel, SmsProperties properties) {
        this.dataSource = dataSource;
        this.camel = camel;
        this.lockKey = properties.leaderLockKey();
        this.senderEnabled = properties.senderEnabled();
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${hub.sms.leader-check-interval:1s}")
    synchronized void check() {
        if (!senderEnabled) {
            return;
        }
        boolean leading = stillLeading() || tryToLead();
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

    boolean leading() {
        return lockConnection != null;
    }

    private boolean stillLeading() {
        if (lockConnection == null) {
            return false;
        }
        try {
            if (lockConnection.isValid(2)) {
                return true;
            }
        } catch (SQLException ignored) {
            // treated as lost below
        }
        release();
        return false;
    }

    private boolean tryToLead() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, lockKey);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        lockConnection = connection;
                        return true;
                    }
                }
            }
            connection.close();
        } catch (SQLException e) {
            LOG.debug("SMS sender's lock not reachable: {}", e.getMessage());
            closeQuietly(connection);
        }
        return false;
    }

    private void release() {
        Connection connection = lockConnection;
        lockConnection = null;
        if (connection != null) {
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, lockKey);
                unlock.execute();
            } catch (SQLException ignored) {
                // the connection is gone, and the lock with it
            }
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public synchronized void destroy() {
        release();
    }
}
