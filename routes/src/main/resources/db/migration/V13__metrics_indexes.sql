-- The shared gauges of docs/observability.md (issue 14), read by every replica every hub.metrics.refresh-interval (the
-- states of work in progress) or hub.metrics.settled-refresh-interval (states whose rows pile up over the retention
-- period). Each count is an index-only scan of the states it counts, never a read of the table: rotation and signup
-- hold millions of rows, sms_message one per SMS. Plans and timings: FlowMetricsTest, and the issue 14 report.

-- SmsMetrics: SMS not yet submitted and the oldest of them. sms_message_unsent_expiry (V9) holds the same rows, but
-- ordered by expiry: min(created_at) would visit every one of them in the heap.
CREATE INDEX sms_message_unsent_created ON sms_message (created_at) WHERE state IN ('queued', 'retrying');

-- RotationMetrics: rotations by state. No earlier index has the state as a key (they are partial on it).
CREATE INDEX rotation_state ON rotation (state);

-- CampaignMetrics: the rare device outcomes of the campaigns not finished. Pending devices are counted through
-- campaign_device_pending (V6); done ones, nearly all of a campaign's rows, are never read (selected minus the rest).
CREATE INDEX campaign_device_exception ON campaign_device (campaign_id, state)
    WHERE state IN ('skipped', 'failed', 'cancelled');

-- SignupMetrics: sign-ups and bindings (origin portal or not) by state. State first: each refresh reads a range of
-- states.
CREATE INDEX signup_state_origin ON signup (state, origin);
