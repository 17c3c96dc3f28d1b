package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.provisioninghub.routes.campaign.CampaignApi.listBody;
import static io.provisioninghub.routes.campaign.CampaignApi.subscribers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ROT-3: a campaign's device rows are kept for hub.campaign.record-retention (90 days) after it ended, then deleted;
 * the campaign keeps its counts per state and still answers the operator API with them. Subscribers 69_001..69_005.
 */
class CampaignRetentionTest extends SharedHubTest {

    @Test // ROT-3
    void endedCampaignPastRetentionKeepsItsCountsWithoutItsDeviceRows() {
        CampaignApi api = new CampaignApi(hub);
        List<String> imsis = new ArrayList<>(subscribers(69_001, 69_005).stream().map(Subscribers::imsi).toList());
        imsis.add("001019999999999"); // unknown: its device ends failed
        long id = api.start(listBody("reconfiguration", imsis, 50, null));
        JsonNode ended = api.await(id, v -> "completed".equals(v.path("state").asText()), Duration.ofSeconds(60));
        JsonNode countsBefore = ended.path("devices");
        assertThat(countsBefore.path("done").asLong() + countsBefore.path("skipped").asLong()).isEqualTo(6);

        CampaignRetention retention = hub.context().getBean(CampaignRetention.class);
        retention.archivePastRetention();
        assertThat(deviceRows(id)).as("within retention: rows kept").isEqualTo(6);

        // 91 days later (the clock moved by editing when it ended)
        hub.hubDatabase().update("UPDATE campaign SET updated_at = now() - interval '91 days' WHERE id = ?", id);
        retention.archivePastRetention();

        assertThat(deviceRows(id)).isZero();
        assertThat(hub.hubDatabase().queryForObject("SELECT device_rows_deleted_at IS NOT NULL FROM campaign WHERE id = ?",
                Boolean.class, id)).isTrue();
        JsonNode after = api.campaign(id);
        assertThat(after.path("state").asText()).isEqualTo("completed");
        assertThat(after.path("devices")).isEqualTo(countsBefore);
    }

    @Test
    void refusesARetentionShorterThanADay() {
        assertThatThrownBy(() -> new CampaignProperties("q.", 500, 10_000, 100_000, 1L, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), 2L, 8, 50, Duration.ofHours(1), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hub.campaign.record-retention");
    }

    private static long deviceRows(long campaignId) {
        return hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign_device WHERE campaign_id = ?", Long.class,
                campaignId);
    }
}
