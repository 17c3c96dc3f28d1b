package io.provisioninghub.routes.common;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/**
 * Housekeeping of rows that outlive their use (cookie sessions, tokens, OTP challenges, SMS never sent) or their
 * retention (SMS records, finished rotations, an ended campaign's device rows), run by every replica on a schedule. A run handles every due row, in batches of {@link #BATCH}: short transactions, and
 * rows another replica is handling are skipped, not waited for ({@code FOR UPDATE SKIP LOCKED}). It stops when a
 * batch comes back short or after {@link #BUDGET}. One capped batch per run would not keep up with the hot path:
 * at 1,000 first requests per second, 60,000 sessions expire per minute.
 */
public final class ExpiredRows {

    public static final int BATCH = 2_000;
    private static final Duration BUDGET = Duration.ofSeconds(20);

    private ExpiredRows() {
    }

    /** Deletes the rows of {@code table} for which {@code due} (an SQL condition without parameters) holds. */
    public static long delete(JdbcTemplate jdbc, String table, String due) {
        return inBatches(jdbc, "DELETE FROM " + table + " WHERE ctid IN (" + batchQuery(table, due) + ")");
    }

    /** Applies {@code set} (an SQL SET list) to the rows of {@code table} for which {@code due} holds. */
    public static long update(JdbcTemplate jdbc, String table, String set, String due) {
        return inBatches(jdbc, "UPDATE " + table + " SET " + set + " WHERE ctid IN (" + batchQuery(table, due) + ")");
    }

    /**
     * The query that picks one batch. Each {@code due} condition needs an index that answers it: the query runs
     * every interval on tables of millions of live rows, almost none of them due (tests EXPLAIN it).
     */
    public static String batchQuery(String table, String due) {
        return "SELECT ctid FROM " + table + " WHERE " + due + " LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED";
    }

    /**
     * {@code column} is more than {@code age} in the past. The age comes from the configuration (whole seconds), never
     * from a request, so it is written into the condition.
     */
    public static String olderThan(String column, Duration age) {
        return column + " < now() - make_interval(secs => " + age.toSeconds() + ")";
    }

    /**
     * A retention setting checked at start-up: shorter than {@code minimum} would delete rows still needed.
     *
     * @throws IllegalArgumentException naming {@code property}
     */
    public static void requireAtLeast(Duration retention, Duration minimum, String property) {
        if (retention.compareTo(minimum) < 0) {
            throw new IllegalArgumentException(property + " must be at least " + minimum.toDays() + "d, was " + retention);
        }
    }

    private static long inBatches(JdbcTemplate jdbc, String statement) {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        long total = 0;
        int done;
        do {
            done = jdbc.update(statement);
            total += done;
        } while (done == BATCH && System.nanoTime() < deadline);
        return total;
    }
}
