-- Record retention (docs/configuration.md: hub.rotation.record-retention, hub.campaign.record-retention). Without it a
-- monthly refresh campaign over a million subscribers added a million rotation rows and a million campaign_device rows
-- every month, for ever.

-- Finished rotations whose result event went out, by when they ended (RotationFollowUp.deletePastRetention).
CREATE INDEX rotation_finished ON rotation (updated_at)
    WHERE state IN ('failed', 'expired', 'rotated') AND result_published_at IS NOT NULL;

-- A campaign past its retention keeps its device counts per state here (JSON), then its device rows are deleted in
-- batches (a million rows in one transaction would be one burst of WAL); device_rows_deleted_at marks the end.
ALTER TABLE campaign ADD COLUMN device_counts TEXT;
ALTER TABLE campaign ADD COLUMN device_rows_deleted_at TIMESTAMPTZ;
CREATE INDEX campaign_ended ON campaign (updated_at)
    WHERE state IN ('completed', 'cancelled') AND device_counts IS NULL;
CREATE INDEX campaign_archiving ON campaign (id) WHERE device_counts IS NOT NULL AND device_rows_deleted_at IS NULL;
