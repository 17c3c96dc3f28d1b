package io.provisioninghub.routes.campaign;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Elects the one replica that fans campaigns out and dispatches them, so a campaign's SMS rate holds for the
 * deployment (ROT-3). As for the SMS sender: a PostgreSQL session-level advisory lock held on a connection of its
 * own for as long as the replica leads; a replica that dies drops the connection and the lock with it.
 */
class CampaignLeadership {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignLeadership.class);

    private final DataSource dataSource;
    private final long lockKey;
    private volatile Connection lockConnection;

    CampaignLeadership(DataSource dataSource, long lockKey) {
        this.dataSource = dataSource;
        this.lockKey = lockKey;
    }

    /** Keeps or takes the lock; true while this replica leads. */
    synchronized boolean check() {
        return stillLeading() || tryToLead();
    }

    boolean leading() {
        return lockConnection != null;
    }

    private boolean stillLeading() {
        Connection connection = lockConnection;
        if (connection == null) {
            return false;
        }
        try {
            if (connection.isValid(2)) {
                return true;
            }
        } catch (SQLException ignored) {
            // treated as lost below
        }
        LOG.warn("This replica lost the campaign leader's lock");
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
                        LOG.info("This replica now runs the campaigns");
                        return true;
                    }
                }
            }
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Campaign leader's lock not reachable: {}", e.getMessage());
            closeQuietly(connection);
        }
        return false;
    }

    synchronized void release() {
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
}
