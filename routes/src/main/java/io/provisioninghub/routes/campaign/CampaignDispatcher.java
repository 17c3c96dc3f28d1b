package io.provisioninghub.routes.campaign;

import io.provisioninghub.routes.tracing.FlowTracing;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Dispatches one campaign (ROT-3) in the campaign leader: takes its chunks from its queue one at a time in a
 * transacted JMS session, and processes each pending device of the chunk ({@link CampaignDevices}) at the
 * campaign's SMS rate (one device = one trigger SMS; a token bucket refilled continuously, so no second holds more
 * than the rate plus one), on up to {@code hub.campaign.dispatch-concurrency} worker threads. When it must stop mid-chunk (pause, cancel, shutdown, lost leadership) the rest of the
 * chunk is queued again and the chunk acknowledged in the same JMS transaction. A back end that fails a device
 * (HLR, billing, database, broker) holds the campaign on that device with back-off until it is back.
 */
class CampaignDispatcher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignDispatcher.class);
    private static final long POLL_MILLIS = 500;
    private static final Duration PERMIT_WAIT = Duration.ofMillis(200);

    private final long campaignId;
    private final Campaigns campaigns;
    private final CampaignDevices devices;
    private final CampaignWorkQueue queue;
    private final CampaignProperties properties;
    private final BooleanSupplier keepRunning;
    private final BooleanSupplier fanOutRunning;
    private final FlowTracing tracing;
    private ExecutorService workers;
    private Semaphore slots;
    private Bucket pace;
    private int paceRate;

    CampaignDispatcher(long campaignId, Campaigns campaigns, CampaignDevices devices, CampaignWorkQueue queue,
                       CampaignProperties properties, BooleanSupplier keepRunning, BooleanSupplier fanOutRunning,
                       FlowTracing tracing) {
        this.tracing = tracing;
        this.campaignId = campaignId;
        this.campaigns = campaigns;
        this.devices = devices;
        this.queue = queue;
        this.properties = properties;
        this.keepRunning = keepRunning;
        this.fanOutRunning = fanOutRunning;
    }

    /**
     * Workers for this campaign: about one per 10 devices/s of its rate (a device takes tens of milliseconds), at
     * most {@code dispatch-concurrency}. A slow campaign gets one, so its SMS leave evenly spaced; more workers would
     * only add jitter (and hold more database connections).
     */
    private void startWorkers(int rate) {
        if (workers != null) {
            return;
        }
        int concurrency = Math.min(properties.dispatchConcurrency(), Math.max(1, (rate + 9) / 10));
        slots = new Semaphore(concurrency);
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(FlowTracing.inFlow("campaign", r), "campaign-" + campaignId + "-device-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Where a chunk's processing ended. */
    private record Stop(boolean stopped, String lastDone) {
    }

    @Override
    public void run() {
        try {
            dispatch();
        } finally {
            if (workers != null) {
                workers.shutdown();
            }
        }
    }

    private void dispatch() {
        try (CampaignWorkQueue.Channel channel = queue.open(campaignId)) {
            MessageConsumer consumer = channel.session().createConsumer(channel.queue());
            long idleSince = System.nanoTime();
            while (keepRunning.getAsBoolean()) {
                Campaign campaign = campaigns.state(campaignId).orElse(null);
                if (campaign == null) {
                    return;
                }
                if ("cancelled".equals(campaign.state())) {
                    drain(consumer, channel);
                    return;
                }
                if (!campaign.dispatching()) {
                    return; // paused or completed: the work stays queued
                }
                Message message = consumer.receive(POLL_MILLIS);
                if (message == null) {
                    if (campaign.fannedOutAt() != null
                            && System.nanoTime() - idleSince > properties.sweepAfter().toNanos()) {
                        if (sweep(campaign)) {
                            return;
                        }
                        idleSince = System.nanoTime();
                    } else if (campaign.fannedOutAt() != null && campaigns.completeIfDone(campaignId)) {
                        return;
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                CampaignWorkQueue.Chunk chunk = CampaignWorkQueue.Chunk.of(message);
                Stop stop = process(campaign, chunk.after(), chunk.through());
                if (stop.stopped() && !stop.lastDone().equals(chunk.through())) {
                    channel.send(new CampaignWorkQueue.Chunk(campaignId, stop.lastDone(), chunk.through()));
                }
                channel.session().commit();
                if (stop.stopped()) {
                    return;
                }
            }
        } catch (JMSException | RuntimeException e) {
            // The session's uncommitted chunk goes back to the queue; the supervisor starts a new dispatcher.
            LOG.warn("Campaign {}: dispatcher stopped ({}); restarting shortly", campaignId, e.getClass().getSimpleName());
            CampaignWorkers.sleep(properties.retryDelay(2), keepRunning);
        }
    }

    /**
     * Processes the pending devices in (after, through], paced: this thread takes a permit per device and hands the
     * permitted devices to the campaign's workers (a device's HLR and billing lookups, database writes and SMS enqueue
     * take milliseconds, so one thread alone would cap a campaign well below an SMSC's rate). While a worker is free,
     * each device goes to it alone, so the SMS of a campaign the workers keep up with leave evenly spaced. When all are
     * busy, the permitted devices wait and go together, up to {@code dispatch-batch-size}, as one transaction
     * ({@link CampaignDevices#processAll}): per device that costs a fraction of the round trips, so the campaign
     * catches up instead of falling behind its rate.
     *
     * @return stopped=true with the IMSI up to which every device was processed, when it had to stop early
     */
    private Stop process(Campaign campaign, String after, String through) {
        startWorkers(campaign.smsRatePerSecond());
        List<String> pending = devices.pendingIn(campaignId, after, through);
        boolean[] processed = new boolean[pending.size()];
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> inFlight = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        for (int i = 0; i < pending.size() && !stop.get(); i++) {
            if (!permit(campaign.smsRatePerSecond())) {
                group.clear(); // told to stop: the permitted devices stay pending and are queued again
                break;
            }
            group.add(i);
            boolean handOver = slots.tryAcquire();
            if (!handOver && group.size() >= properties.dispatchBatchSize()) {
                handOver = acquireSlot();
                if (!handOver) {
                    group.clear();
                    break;
                }
            }
            if (handOver) {
                inFlight.add(submit(campaign, pending, List.copyOf(group), processed, stop));
                group.clear();
            }
        }
        if (!group.isEmpty() && !stop.get() && acquireSlot()) {
            inFlight.add(submit(campaign, pending, List.copyOf(group), processed, stop));
        }
        for (Future<?> future : inFlight) {
            try {
                future.get(); // also makes the workers' writes to processed[] visible here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.warn("Campaign {}: device worker failed ({})", campaignId, e.getCause().getClass().getSimpleName());
            }
        }
        int firstUnprocessed = 0;
        while (firstUnprocessed < processed.length && processed[firstUnprocessed]) {
            firstUnprocessed++;
        }
        if (firstUnprocessed == processed.length) {
            return new Stop(false, through);
        }
        // Devices processed after a gap are pending no more: queued again with the rest, their claims skip them.
        return new Stop(true, firstUnprocessed == 0 ? after : pending.get(firstUnprocessed - 1));
    }

    private boolean acquireSlot() {
        try {
            slots.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the devices {@code group} (indexes into {@code pending}) on a worker that holds one of the slots. */
    private Future<?> submit(Campaign campaign, List<String> pending, List<Integer> group, boolean[] processed,
                             AtomicBoolean stop) {
        List<String> imsis = group.stream().map(pending::get).toList();
        return workers.submit(() -> {
            try {
                // A span for the group's work, so its log lines carry a trace id; each device's rotation or trigger
                // SMS has a trace of its own (CampaignDevices).
                Map<String, CampaignDevices.Outcome> outcomes = tracing.within("hub.campaign.devices", "campaign", null,
                        () -> processWithRetry(campaign, imsis));
                if (outcomes == null) {
                    stop.set(true);
                    return;
                }
                for (int k = 0; k < imsis.size(); k++) {
                    if (outcomes.get(imsis.get(k)) == CampaignDevices.Outcome.CAMPAIGN_STOPPED) {
                        stop.set(true);
                    } else {
                        processed[group.get(k)] = true;
                    }
                }
            } finally {
                slots.release();
            }
        });
    }

    /** @return null when told to stop while waiting for a back end */
    private Map<String, CampaignDevices.Outcome> processWithRetry(Campaign campaign, List<String> imsis) {
        int failures = 0;
        while (keepRunning.getAsBoolean()) {
            try {
                return devices.processAll(campaign, imsis);
            } catch (RuntimeException e) {
                failures++;
                Duration delay = properties.retryDelay(failures);
                LOG.warn("Campaign {}: a back end is unavailable ({}); retrying {} device(s) in {} ms", campaignId,
                        e.getClass().getSimpleName(), imsis.size(), delay.toMillis());
                CampaignWorkers.sleep(delay, keepRunning);
            }
        }
        return null;
    }

    private boolean permit(int rate) {
        if (pace == null || paceRate != rate) {
            // Greedy refill: one permit every 1/rate s; the capacity (0.1 % of the rate, at least one) bounds the
            // burst after an idle spell, as in the SMS outbox.
            pace = Bucket.builder().addLimit(Bandwidth.builder().capacity(Math.max(1, rate / 1000))
                    .refillGreedy(rate, Duration.ofSeconds(1)).build()).build();
            paceRate = rate;
        }
        try {
            while (keepRunning.getAsBoolean()) {
                if (pace.asBlocking().tryConsume(1, PERMIT_WAIT)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * The queue looked empty for {@code sweep-after} although the fan-out is complete: devices still pending have
     * lost their work (e.g. dead-lettered after repeated crashes) and are dispatched straight from the database.
     *
     * @return true when the campaign is completed or the dispatcher must stop
     */
    private boolean sweep(Campaign campaign) {
        List<String> pending = devices.firstPending(campaignId, properties.chunkSize());
        if (pending.isEmpty()) {
            return campaigns.completeIfDone(campaignId) || !campaign.dispatching();
        }
        LOG.warn("Campaign {}: {} pending device(s) without queued work; dispatching them from the database",
                campaignId, pending.size());
        return process(campaign, "", pending.get(pending.size() - 1)).stopped();
    }

    /** A cancelled campaign: its queued chunks are acknowledged unprocessed (their devices are cancelled). */
    private void drain(MessageConsumer consumer, CampaignWorkQueue.Channel channel) throws JMSException {
        int drained = 0;
        while (keepRunning.getAsBoolean()) {
            Message message = consumer.receive(POLL_MILLIS);
            if (message == null) {
                if (!fanOutRunning.getAsBoolean()) {
                    channel.session().commit();
                    campaigns.drained(campaignId);
                    LOG.info("Campaign {}: {} queued chunk(s) dropped after the cancel", campaignId, drained);
                    return;
                }
                continue;
            }
            drained++;
            if (drained % 100 == 0) {
                channel.session().commit();
            }
        }
        channel.session().commit();
    }
}
