package io.provisioninghub.routes.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * The audit trail's rows (V12__audit_trail.sql): appended one at a time under the chain's lock, read back newest first
 * with filters, and verified from the anchor to the head. docs/security.md#audit-trail.
 */
@Component
public class AuditTrail {

    private static final String COLUMNS = "id, at, subject, client_id, roles, action, target, parameters, status, "
            + "reason, trace_id";

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final AuditChain chain;

    AuditTrail(JdbcClient jdbc, TransactionTemplate transaction, AuditChain chain) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.chain = chain;
    }

    /** Seals {@code entry} onto the head of the chain; one writer at a time across every replica. */
    public AuditEvent append(AuditEntry entry) {
        return transaction.execute(status -> {
            Head head = jdbc.sql("SELECT head_id, head_hash FROM audit_chain WHERE id = 1 FOR UPDATE")
                    .query((rs, n) -> new Head(rs.getLong("head_id"), rs.getBytes("head_hash"))).single();
            AuditEvent event = new AuditEvent(head.id() + 1, AuditChain.storable(Instant.now()), entry.subject(),
                    entry.clientId(), entry.roles(), entry.action(), entry.target(), entry.parameters(), entry.status(),
                    entry.reason(), entry.traceId());
            byte[] hash = chain.seal(event, head.hash());
            jdbc.sql("INSERT INTO audit_event (" + COLUMNS + ", previous_hash, hash) VALUES (:id, :at, :subject, "
                            + ":clientId, :roles, :action, :target, :parameters, :status, :reason, :traceId, "
                            + ":previousHash, :hash)")
                    .param("id", event.id())
                    .param("at", OffsetDateTime.ofInstant(event.at(), ZoneOffset.UTC))
                    .param("subject", event.subject())
                    .param("clientId", event.clientId())
                    .param("roles", String.join(",", event.roles()))
                    .param("action", event.action())
                    .param("target", event.target())
                    .param("parameters", event.parameters())
                    .param("status", event.status())
                    .param("reason", event.reason())
                    .param("traceId", event.traceId())
                    .param("previousHash", head.hash())
                    .param("hash", hash)
                    .update();
            jdbc.sql("UPDATE audit_chain SET head_id = :id, head_hash = :hash WHERE id = 1")
                    .param("id", event.id()).param("hash", hash).update();
            return event;
        });
    }

    /** One page of events matching {@code query}, newest first. */
    public List<AuditEvent> find(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_event WHERE true");
        // Only fixed fragments go into the statement; every value is a named parameter.
        if (query.subject() != null) {
            sql.append(" AND subject = :subject");
        }
        if (query.action() != null) {
            sql.append(" AND action = :action");
        }
        if (query.target() != null) {
            sql.append(" AND target = :target");
        }
        if (query.outcome() != null) {
            sql.append(" AND status BETWEEN :lowest AND :highest");
        }
        if (query.from() != null) {
            sql.append(" AND at >= :from");
        }
        if (query.to() != null) {
            sql.append(" AND at < :to");
        }
        if (query.before() != null) {
            sql.append(" AND id < :before");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString())
                .param("subject", query.subject())
                .param("action", query.action())
                .param("target", query.target())
                .param("from", query.from() == null ? null : OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC))
                .param("to", query.to() == null ? null : OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC))
                .param("before", query.before())
                .param("limit", query.limit());
        if (query.outcome() != null) {
            statement = statement.param("lowest", query.outcome().lowest()).param("highest", query.outcome().highest());
        }
        return statement.query(AuditTrail::event).list();
    }

    /**
     * Walks the chain from its anchor to its head: every row's link to the one before, its seal, consecutive ids, the
     * anchor's own seal, and that the last row is the head the appends recorded.
     */
    public AuditVerification verify() {
        Chain ends = chain(false);
        boolean genesis = ends.anchorId() == 0 && Arrays.equals(ends.anchorHash(), AuditChain.GENESIS);
        if (!genesis && (ends.anchorSeal() == null
                || !Arrays.equals(ends.anchorSeal(), chain.sealAnchor(ends.anchorId(), ends.anchorHash())))) {
            return AuditVerification.broken(0, null, null, ends.anchorId() + 1, "the chain's anchor is not sealed by the hub");
        }
        long expectedId = ends.anchorId() + 1;
        byte[] previous = ends.anchorHash();
        long checked = 0;
        Long first = null;
        while (true) {
            List<Row> rows = jdbc.sql("SELECT " + COLUMNS + ", previous_hash, hash FROM audit_event WHERE id >= :from "
                            + "ORDER BY id LIMIT 1000")
                    .param("from", expectedId == ends.anchorId() + 1 ? Long.MIN_VALUE : expectedId)
                    .query((rs, n) -> new Row(event(rs, n), rs.getBytes("previous_hash"), rs.getBytes("hash"))).list();
            for (Row row : rows) {
                long id = row.event().id();
                if (first == null) {
                    first = id;
                }
                if (id != expectedId) {
                    return AuditVerification.broken(checked, first, expectedId - 1, expectedId,
                            id < expectedId ? "a row older than the chain's anchor" : "row " + expectedId + " is missing");
                }
                if (!Arrays.equals(row.previousHash(), previous)) {
                    return AuditVerification.broken(checked, first, id - 1, id, "the row does not link to the row before it");
                }
                if (!Arrays.equals(row.hash(), chain.seal(row.event(), previous))) {
                    return AuditVerification.broken(checked, first, id - 1, id, "the row's content does not match its seal");
                }
                previous = row.hash();
                expectedId = id + 1;
                checked++;
            }
            if (rows.size() < 1000) {
                break;
            }
        }
        long last = expectedId - 1;
        if (last != ends.headId() || !Arrays.equals(previous, ends.headHash())) {
            return AuditVerification.broken(checked, first, checked == 0 ? null : last, last + 1,
                    "the chain ends before its recorded head (row " + ends.headId() + ")");
        }
        return AuditVerification.valid(checked, first, checked == 0 ? null : last);
    }

    /**
     * Deletes up to {@code batch} of the oldest rows written before {@code cutoff}, and moves the sealed anchor to the
     * last row deleted: verification then starts after it.
     *
     * @return the number of rows deleted
     */
    int deleteOldest(Instant cutoff, int batch) {
        Integer deleted = transaction.execute(status -> {
            Chain ends = chain(true);
            List<Long> due = jdbc.sql("SELECT id FROM audit_event WHERE id > :anchor AND id <= :last AND at < :cutoff "
                            + "ORDER BY id")
                    .param("anchor", ends.anchorId()).param("last", ends.anchorId() + batch)
                    .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
                    .query(Long.class).list();
            // Only a run of consecutive rows from the anchor can go: the chain must stay whole after it.
            long through = ends.anchorId();
            for (long id : due) {
                if (id != through + 1) {
                    break;
                }
                through = id;
            }
            if (through == ends.anchorId()) {
                return 0;
            }
            byte[] anchorHash = jdbc.sql("SELECT hash FROM audit_event WHERE id = :id").param("id", through)
                    .query((rs, n) -> rs.getBytes("hash")).single();
            int rows = jdbc.sql("DELETE FROM audit_event WHERE id > :anchor AND id <= :through")
                    .param("anchor", ends.anchorId()).param("through", through).update();
            jdbc.sql("UPDATE audit_chain SET anchor_id = :id, anchor_hash = :hash, anchor_seal = :seal WHERE id = 1")
                    .param("id", through).param("hash", anchorHash).param("seal", chain.sealAnchor(through, anchorHash))
                    .update();
            return rows;
        });
        return deleted == null ? 0 : deleted;
    }

    /** The chain's head and anchor; {@code lock}ed against appends and other purges until the transaction ends. */
    private Chain chain(boolean lock) {
        return jdbc.sql("SELECT head_id, head_hash, anchor_id, anchor_hash, anchor_seal FROM audit_chain WHERE id = 1"
                        + (lock ? " FOR UPDATE" : ""))
                .query((rs, n) -> new Chain(rs.getLong("head_id"), rs.getBytes("head_hash"), rs.getLong("anchor_id"),
                        rs.getBytes("anchor_hash"), rs.getBytes("anchor_seal"))).single();
    }

    private static AuditEvent event(ResultSet rs, int row) throws SQLException {
        String roles = rs.getString("roles");
        return new AuditEvent(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("subject"), rs.getString("client_id"), roles.isEmpty() ? List.of() : List.of(roles.split(",")),
                rs.getString("action"), rs.getString("target"), rs.getString("parameters"), rs.getInt("status"),
                rs.getString("reason"), rs.getString("trace_id"));
    }

    private record Head(long id, byte[] hash) {
    }

    private record Chain(long headId, byte[] headHash, long anchorId, byte[] anchorHash, byte[] anchorSeal) {
    }

    private record Row(AuditEvent event, byte[] previousHash, byte[] hash) {
    }
}
