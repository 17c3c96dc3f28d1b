package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.connectors.hlr.HlrSelection;
import io.provisioninghub.connectors.hlr.HlrSelections;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Turns a campaign's selection into device rows and queued work (ROT-3), page by page, restartably:
 * <ol>
 *   <li>read the next page of IMSIs after {@code written_through} (HLR keyset page, the explicit list, or the
 *   served subscribers in the hub's database);</li>
 *   <li>one hub-database transaction: COPY the page's device rows (state pending) and move {@code written_through}
 *   to the page's last IMSI (guarded by its old value, so two fan-outs of one campaign cannot both write a page);</li>
 *   <li>one JMS transaction: a work message per {@code chunk-size} rows, naming the rows by IMSI range; then
 *   {@code queued_through} follows.</li>
 * </ol>
 * A crash between 2 and 3 leaves rows without work: the next run queues (queued_through, written_through] first.
 * A crash between 3 and the cursor update queues those chunks twice; the per-device claim makes the copy a no-op.
 * The rows are written before their work is queued, so a dispatcher never gets a chunk whose rows are missing.
 */
@Component
class CampaignFanOut {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignFanOut.class);

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transaction;
    private final HlrSelections hlr;
    private final CampaignWorkQueue queue;
    private final CampaignProperties properties;
    private final Campaigns campaigns;
    private final ObjectMapper json;

    CampaignFanOut(JdbcTemplate jdbc, DataSource dataSource, TransactionTemplate transaction, HlrSelections hlr,
                   CampaignWorkQueue queue, CampaignProperties properties, Campaigns campaigns, ObjectMapper json) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.transaction = transaction;
        this.hlr = hlr;
        this.queue = queue;
        this.properties = properties;
        this.campaigns = campaigns;
        this.json = json;
    }

    /**
     * Fans the campaign out until its selection is exhausted, it is cancelled, or {@code keepRunning} turns false.
     * Back-end failures are retried with back-off from the last recorded IMSI.
     */
    void run(long campaignId, BooleanSupplier keepRunning) {
        int failures = 0;
        while (keepRunning.getAsBoolean()) {
            try {
                if (!step(campaignId)) {
                    return;
                }
                failures = 0;
            } catch (Exception e) {
                failures++;
                java.time.Duration delay = properties.retryDelay(failures);
                LOG.warn("Campaign {}: fan-out step failed ({}), retrying in {} ms", campaignId,
                        e.getClass().getSimpleName(), delay.toMillis());
                CampaignWorkers.sleep(delay, keepRunning);
            }
        }
    }

    /** One page; false when there is nothing more to do. */
    private boolean step(long campaignId) throws Exception {
        Campaign campaign = campaigns.find(campaignId).orElse(null);
        if (campaign == null || campaign.fannedOutAt() != null || "cancelled".equals(campaign.state())
                || "completed".equals(campaign.state())) {
            return false;
        }
        queueWritten(campaign);
        List<String> page = nextPage(campaign);
        if (page.isEmpty()) {
            jdbc.update("UPDATE campaign SET fanned_out_at = now(), updated_at = now(), "
                    + "state = CASE WHEN state = 'fanning_out' THEN 'running' ELSE state END WHERE id = ?", campaignId);
            LOG.info("Campaign {}: fan-out complete, {} device(s)", campaignId, campaign.selected());
            return false;
        }
        write(campaign, page);
        campaigns.find(campaignId).ifPresent(this::queueWrittenQuietly);
        return true;
    }

    private List<String> nextPage(Campaign campaign) {
        CampaignSelection selection = CampaignSelection.fromStored(campaign.selection(), json);
        String after = campaign.writtenThrough() == null ? "" : campaign.writtenThrough();
        int limit = properties.pageSize();
        HlrSelection fromHlr = selection.hlrSelection();
        if (fromHlr != null) {
            return hlr.page(fromHlr, after, limit);
        }
        if (selection instanceof CampaignSelection.Listed listed) {
            List<String> page = new ArrayList<>(Math.min(limit, listed.imsis().size()));
            for (String imsi : listed.imsis()) { // sorted
                if (imsi.compareTo(after) > 0) {
                    page.add(imsi);
                    if (page.size() == limit) {
                        break;
                    }
                }
            }
            return page;
        }
        // RECONF-2: every subscriber that was served a configuration, from the hub's own database.
        return jdbc.queryForList("SELECT imsi FROM subscriber_config WHERE imsi > ? AND last_version > 0 "
                + "ORDER BY imsi LIMIT ?", String.class, after, limit);
    }

    private void write(Campaign campaign, List<String> page) {
        String last = page.get(page.size() - 1);
        transaction.executeWithoutResult(status -> {
            int moved = jdbc.update("UPDATE campaign SET written_through = ?, selected = selected + ?, updated_at = now() "
                    + "WHERE id = ? AND written_through IS NOT DISTINCT FROM ? AND state <> 'cancelled'",
                    last, page.size(), campaign.id(), campaign.writtenThrough());
            if (moved == 0) {
                return; // cancelled, or another fan-out wrote this page: nothing to add
            }
            copy(campaign.id(), page);
        });
    }

    /** COPY: a million rows in seconds, where row-by-row INSERTs take minutes (docs/benchmarks.md). */
    private void copy(long campaignId, List<String> imsis) {
        StringBuilder rows = new StringBuilder(imsis.size() * 32);
        for (String imsi : imsis) {
            rows.append(campaignId).append(',').append(imsi).append(",pending\n");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource); // the transaction's connection
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY campaign_device (campaign_id, imsi, state) FROM STDIN (FORMAT csv)", new StringReader(rows.toString()));
        } catch (SQLException | IOException e) {
            throw new org.springframework.dao.DataAccessResourceFailureException("COPY of campaign devices failed: "
                    + e.getClass().getSimpleName(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private void queueWrittenQuietly(Campaign campaign) {
        try {
            queueWritten(campaign);
        } catch (Exception e) {
            // the next step queues them (queued_through stayed behind)
            LOG.debug("Campaign {}: queueing deferred: {}", campaign.id(), e.getClass().getSimpleName());
        }
    }

    /** Queues the work of the rows in (queued_through, written_through], then moves queued_through. */
    private void queueWritten(Campaign campaign) throws Exception {
        String through = campaign.writtenThrough();
        String after = campaign.queuedThrough() == null ? "" : campaign.queuedThrough();
        if (through == null || through.equals(after)) {
            return;
        }
        List<String> imsis = jdbc.queryForList("SELECT imsi FROM campaign_device WHERE campaign_id = ? AND imsi > ? "
                + "AND imsi <= ? ORDER BY imsi", String.class, campaign.id(), after, through);
        List<CampaignWorkQueue.Chunk> chunks = new ArrayList<>();
        String from = after;
        for (int i = properties.chunkSize() - 1; i < imsis.size() + properties.chunkSize() - 1; i += properties.chunkSize()) {
            String to = imsis.get(Math.min(i, imsis.size() - 1));
            chunks.add(new CampaignWorkQueue.Chunk(campaign.id(), from, to));
            from = to;
        }
        if (!chunks.isEmpty()) {
            queue.send(campaign.id(), chunks);
        }
        jdbc.update("UPDATE campaign SET queued_through = ? WHERE id = ? AND written_through = ?",
                through, campaign.id(), through);
    }
}
