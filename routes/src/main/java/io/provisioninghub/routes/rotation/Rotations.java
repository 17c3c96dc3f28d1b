package io.provisioninghub.routes.rotation;

import io.provisioninghub.connectors.hlr.HlrBatchLookup;
import io.provisioninghub.connectors.hlr.HlrSubscriber;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.configuration.CustomerCare;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts credential rotations (ROT-2, first steps), whoever asks: a Kafka event ({@link RotationRequestRoute}), a
 * campaign, the periodic refresh. Each request is recorded once (unique CloudEvents source + id, so a replay is a
 * no-op); for a new one the subscriber's tokens are revoked and the §3 trigger SMS is queued, all in the caller's
 * transaction (one is required).
 */
@Service
public class Rotations implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(Rotations.class);

    private final RotationProperties properties;
    private final CustomerCare customerCare;
    private final JdbcTemplate jdbc;
    private final HlrBatchLookup hlr;
    private final ExecutorService lookups;

    Rotations(RotationProperties properties, CustomerCare customerCare, HlrBatchLookup hlr, JdbcTemplate jdbc) {
        this.properties = properties;
        this.customerCare = customerCare;
        this.hlr = hlr;
        this.jdbc = jdbc;
        // The trigger text needs each subscriber's billing products: one blocking HTTP call each, so a batch runs
        // them side by side (the round trips overlap; the CPU is the machine's either way).
        AtomicInteger threads = new AtomicInteger();
        this.lookups = Executors.newFixedThreadPool(properties.lookupConcurrency(), task -> {
            Thread thread = new Thread(task, "rotation-lookup-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * One rotation request.
     *
     * @param source  who asked (CloudEvents {@code source}; a campaign uses {@code urn:provisioning-hub:campaign:<id>})
     * @param eventId unique within the source (for a campaign: the IMSI)
     * @param reason  {@code compromised}, {@code due} or {@code operator}
     * @param traceParent the W3C traceparent of the rotation's trace (its trigger SMS, proposal and result event
     *                    continue it), or null
     */
    public record RotationRequest(String source, String eventId, String imsi, String reason, String traceParent) {
    }

    /**
     * Records and starts the given rotations in the caller's transaction, as a batch: one INSERT for all requests,
     * one HLR lookup, one token revocation, the trigger SMS queued together (see
     * {@link CustomerCare#triggerReconfigurations}), one UPDATE per outcome. A 500-request batch costs a handful of
     * round trips instead of ten per request. Any failure (HLR, billing, database, Artemis) propagates, and the
     * caller's rollback undoes the whole batch.
     *
     * @return the ids of the rotations this call created (requests already applied, or joining a rotation of the
     * same IMSI in progress, create none)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Long> start(List<RotationRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        List<Started> started = insert(requests);
        if (started.size() < requests.size()) {
            LOG.debug("{} rotation request(s) already applied, or joining a rotation in progress",
                    requests.size() - started.size());
        }
        if (started.isEmpty()) {
            return List.of();
        }
        Map<String, HlrSubscriber> known = hlr.findByImsis(started.stream().map(Started::imsi).toList());
        Map<String, Integer> revoked = customerCare.revokeTokensOf(known.keySet());
        List<Long> unknown = new ArrayList<>();
        List<Long> noMsisdn = new ArrayList<>();
        List<Started> toNotify = new ArrayList<>();
        List<HlrSubscriber> subscribers = new ArrayList<>();
        for (Started rotation : started) {
            HlrSubscriber subscriber = known.get(rotation.imsi());
            if (subscriber == null) {
                unknown.add(rotation.id());
            } else if (subscriber.msisdn() == null) {
                noMsisdn.add(rotation.id());
            } else {
                toNotify.add(rotation);
                subscribers.add(subscriber);
            }
        }
        fail(unknown, "unknown subscriber");
        fail(noMsisdn, "no MSISDN to notify");
        Map<String, String> traceParents = new HashMap<>();
        toNotify.forEach(rotation -> traceParents.put(rotation.imsi(), rotation.traceParent()));
        Map<String, UUID> sms = customerCare.triggerReconfigurations(subscribers, traceParents, lookups);
        if (!toNotify.isEmpty()) {
            Long[] ids = toNotify.stream().map(Started::id).toArray(Long[]::new);
            UUID[] references = toNotify.stream().map(r -> sms.get(r.imsi())).toArray(UUID[]::new);
            jdbc.update("UPDATE rotation r SET state = 'notified', notifications = r.notifications + 1, last_sms = t.sms, "
                            + "next_notify_at = now() + make_interval(secs => ?), updated_at = now() "
                            + "FROM unnest(?::bigint[], ?::uuid[]) AS t(id, sms) WHERE r.id = t.id",
                    properties.renotifyAfter().toSeconds(), ids, references);
        }
        if (LOG.isDebugEnabled()) {
            for (Started rotation : toNotify) {
                LOG.debug("Rotation {} of {}: {} token(s) revoked, trigger SMS queued", rotation.id(),
                        Redaction.ref(rotation.imsi()), revoked.getOrDefault(rotation.imsi(), 0));
            }
        }
        // One line per batch: at 100,000 rotations a line per rotation would be a log of its own.
        LOG.info("{} rotation(s) started: {} notified, {} failed (unknown subscriber {}, no MSISDN {}); {} token(s) revoked",
                started.size(), toNotify.size(), unknown.size() + noMsisdn.size(), unknown.size(), noMsisdn.size(),
                revoked.values().stream().mapToInt(Integer::intValue).sum());
        return started.stream().map(Started::id).toList();
    }

    /** A rotation this call recorded. */
    private record Started(long id, String imsi, String traceParent) {
    }

    /**
     * One statement for the batch. ON CONFLICT DO NOTHING covers both keys: the event applied before (source + id)
     * and a rotation of the same IMSI in progress (also when both requests are in this batch: the first one wins).
     * Rows go in IMSI order, so two replicas' batches that share IMSIs take their locks in the same order and wait
     * for each other instead of deadlocking.
     */
    private List<Started> insert(List<RotationRequest> requests) {
        int n = requests.size();
        String[] sources = new String[n];
        String[] eventIds = new String[n];
        String[] imsis = new String[n];
        String[] reasons = new String[n];
        String[] traceParents = new String[n];
        for (int i = 0; i < n; i++) {
            RotationRequest r = requests.get(i);
            sources[i] = r.source();
            eventIds[i] = r.eventId();
            imsis[i] = r.imsi();
            reasons[i] = r.reason();
            traceParents[i] = r.traceParent();
        }
        return jdbc.query("INSERT INTO rotation (event_source, event_id, imsi, reason, state, trace_parent) "
                        + "SELECT s, e, i, r, 'requested', tp "
                        + "FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[]) "
                        + "WITH ORDINALITY AS t(s, e, i, r, tp, n) ORDER BY i, n "
                        + "ON CONFLICT DO NOTHING RETURNING id, imsi, trace_parent",
                (rs, row) -> new Started(rs.getLong(1), rs.getString(2), rs.getString(3)),
                sources, eventIds, imsis, reasons, traceParents);
    }

    private void fail(List<Long> ids, String reason) {
        if (!ids.isEmpty()) {
            jdbc.update("UPDATE rotation SET state = 'failed', failure_reason = ?, updated_at = now() WHERE id = ANY(?::bigint[])",
                    reason, ids.toArray(Long[]::new));
        }
    }

    @Override
    public void destroy() {
        lookups.shutdownNow();
    }
}
