package io.provisioninghub.routes.campaign;

import io.provisioninghub.routes.common.ExpiredRows;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code hub.campaign.*}: rotation and reconfiguration campaigns (ROT-3, RECONF-2; docs/flows/campaigns.md).
 *
 * @param workQueuePrefix  each campaign's work waits in the durable Artemis queue {@code <prefix><campaign id>}, so a
 *                         paused campaign's work stays queued without being touched
 * @param chunkSize        devices per queued work message
 * @param pageSize         IMSIs read from the selection and written as device rows per fan-out transaction
 * @param maxListedImsis   most IMSIs in an explicit-list selection (larger sets: a range, TAC or credential age)
 * @param leaderLockKey    PostgreSQL advisory lock key electing the replica that fans out and dispatches, so the
 *                         campaign's SMS rate holds for the deployment
 * @param checkInterval    how often a replica checks the lock and starts work for new or resumed campaigns
 * @param retryInitialDelay back-off after a back end (HLR, billing, database, broker) failed a device; doubles
 * @param retryMaxDelay    ceiling of that back-off: a device is retried until its back end is back
 * @param sweepAfter       a campaign whose queue stayed empty this long while devices are still pending has them
 *                         dispatched straight from the database (a safety net: work lost from the queue, e.g.
 *                         dead-lettered after repeated crashes)
 * @param templateChangeLockKey PostgreSQL advisory lock key of the start-up check for changed service templates
 * @param dispatchConcurrency most devices of one campaign processed at once in the leader, one worker per 10 devices/s
 *                         of its rate up to this (the rate still holds: one
 *                         permit per device); a device is a chain of HLR, billing, database and broker round trips
 *                         (about 50 ms on the 2-core benchmark machine), so one thread alone would cap a campaign at
 *                         a few dozen per second. Each worker holds a hub-database connection for its device.
 * @param dispatchBatchSize most devices processed together in one transaction when every worker is busy (the
 *                         campaign falls behind its rate): one claim, one batch of rotations, one JMS commit for all
 *                         of them. While a worker is free, devices go one at a time
 * @param recordRetention  a completed or cancelled campaign keeps its device rows this long after it ended; then they
 *                         are deleted and the campaign keeps only its counts per state (at least one day)
 * @param workersEnabled   false: this replica never competes for the campaign leader's lock (it still serves the
 *                         campaign API); others fan out and dispatch
 */
@Validated
@ConfigurationProperties(prefix = "hub.campaign")
public record CampaignProperties(
        @DefaultValue("hub.campaign.work.") String workQueuePrefix,
        @DefaultValue("500") @Min(1) @Max(10_000) int chunkSize,
        @DefaultValue("10000") @Min(1) @Max(100_000) int pageSize,
        @DefaultValue("100000") @Min(1) int maxListedImsis,
        @DefaultValue("1129136718") long leaderLockKey,
        @DefaultValue("1s") Duration checkInterval,
        @DefaultValue("1s") Duration retryInitialDelay,
        @DefaultValue("30s") Duration retryMaxDelay,
        @DefaultValue("10s") Duration sweepAfter,
        @DefaultValue("1129136719") long templateChangeLockKey,
        @DefaultValue("8") @Min(1) @Max(64) int dispatchConcurrency,
        @DefaultValue("50") @Min(1) @Max(500) int dispatchBatchSize,
        @DefaultValue("90d") Duration recordRetention,
        @DefaultValue("true") boolean workersEnabled) {

    public CampaignProperties {
        ExpiredRows.requireAtLeast(recordRetention, Duration.ofDays(1), "hub.campaign.record-retention");
    }

    /** Back-off before retry {@code attempt + 1} (1-based). */
    Duration retryDelay(int attempt) {
        long millis = retryInitialDelay.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, retryMaxDelay.toMillis()));
    }
}
