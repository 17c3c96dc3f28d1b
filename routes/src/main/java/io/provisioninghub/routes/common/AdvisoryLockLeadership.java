package io.provisioninghub.routes.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Elects the one replica that does a deployment-wide job (the SMS sender, so the SMSC rate holds for the deployment;
 * the campaign leader, so a campaign's rate does): a PostgreSQL session-level advisory lock held on a connection of its
 * own for as long as the replica leads. A replica that dies drops the connection and the lock with it, and another
 * takes over at its next {@link #check()}.
 */
public class AdvisoryLockLeadership {

    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLockLeadership.class);

    private final DataSource dataSource;
    private final long lockKey;
    private final String job;
    private volatile Connection lockConnection;

    /**
     * @param job what the leader does, for the log: "This replica now {job}" (e.g. "runs the campaigns")
     */
    public AdvisoryLockLeadership(DataSource dataSource, long lockKey, String job) {
        this.dataSource = dataSource;
        this.lockKey = lockKey;
        this.job = job;
    }

    /** Keeps or takes the lock; true while this replica leads. */
    public synchronized boolean check() {
        return stillLeading() || tryToLead();
    }

    public boolean leading() {
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
        LOG.warn("This replica lost the lock of the replica that {}", job);
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
                        LOG.info("This replica now {}", job);
                        return true;
                    }
                }
            }
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Lock of the replica that {} not reachable: {}", job, e.getMessage());
            closeQuietly(connection);
        }
        return false;
    }

    public synchronized void release() {
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
