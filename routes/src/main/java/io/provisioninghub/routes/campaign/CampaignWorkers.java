package io.provisioninghub.routes.campaign;

import io.provisioninghub.routes.tracing.FlowTracing;
import io.provisioninghub.routes.common.AdvisoryLockLeadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs the campaigns in the replica holding the campaign leader's lock (ROT-3): every {@code hub.campaign.check-interval}
 * it starts a fan-out thread for each campaign whose fan-out is unfinished and a dispatcher thread for each
 * dispatching (or cancelled, not yet drained) campaign, and asks the periodic refresh whether a campaign is due.
 * Losing the lock or shutting down stops every thread at its next device: what is left of a chunk is queued again.
 * Nothing here is needed by another replica: a new leader finds everything in the database and the queues.
 */
@Component
class CampaignWorkers implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignWorkers.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Campaigns campaigns;
    private final CampaignFanOut fanOut;
    private final CampaignDevices devices;
    private final CampaignWorkQueue queue;
    private final CampaignProperties properties;
    private final RotationRefresh refresh;
    private final AdvisoryLockLeadership leadership;
    private final Map<Long, Boolean> fanOuts = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> dispatchers = new ConcurrentHashMap<>();
    private final ExecutorService threads;
    private volatile boolean running;
    private final FlowTracing tracing;

    CampaignWorkers(Campaigns campaigns, CampaignFanOut fanOut, CampaignDevices devices, CampaignWorkQueue queue,
                    CampaignProperties properties, RotationRefresh refresh, DataSource dataSource, FlowTracing tracing) {
        this.tracing = tracing;
        this.campaigns = campaigns;
        this.fanOut = fanOut;
        this.devices = devices;
        this.queue = queue;
        this.properties = properties;
        this.refresh = refresh;
        this.leadership = new AdvisoryLockLeadership(dataSource, properties.leaderLockKey(), "runs the campaigns");
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(FlowTracing.inFlow("campaign", r), "campaign-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${hub.campaign.check-interval:1s}")
    void check() {
        if (!running || !properties.workersEnabled()) {
            return;
        }
        if (!leadership.check()) {
            return; // threads see keepRunning() turn false and stop
        }
        try {
            for (Campaign campaign : campaigns.withWork()) {
                long id = campaign.id();
                if (campaign.fannedOutAt() == null && !"cancelled".equals(campaign.state())
                        && fanOuts.putIfAbsent(id, Boolean.TRUE) == null) {
                    threads.execute(() -> {
                        try {
                            fanOut.run(id, this::keepRunning);
                        } finally {
                            fanOuts.remove(id);
                        }
                    });
                }
                boolean needsDispatcher = campaign.dispatching() || "cancelled".equals(campaign.state());
                if (needsDispatcher && dispatchers.putIfAbsent(id, Boolean.TRUE) == null) {
                    CampaignDispatcher dispatcher = new CampaignDispatcher(id, campaigns, devices, queue, properties,
                            this::keepRunning, () -> fanOuts.containsKey(id), tracing);
                    threads.execute(() -> {
                        try {
                            dispatcher.run();
                        } finally {
                            dispatchers.remove(id);
                        }
                    });
                }
            }
            refresh.startIfDue();
        } catch (RuntimeException e) {
            LOG.warn("Campaign check failed: {}", e.getClass().getSimpleName());
        }
    }

    /** True while this replica leads and is not shutting down. */
    boolean keepRunning() {
        return running && leadership.leading();
    }

    boolean leading() {
        return leadership.leading();
    }

    /** Sleeps, waking early when told to stop. */
    static void sleep(Duration duration, BooleanSupplier keepRunning) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (keepRunning.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** First in the shutdown (the highest phase stops first): threads finish their device and queue the rest. */
    @Override
    public void stop() {
        running = false;
        threads.shutdown();
        try {
            if (!threads.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Campaign threads still busy after {} s; their uncommitted chunks return to the queue",
                        STOP_WAIT.toSeconds());
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leadership.release();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
