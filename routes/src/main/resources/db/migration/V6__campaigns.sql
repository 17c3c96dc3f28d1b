-- Campaigns (issue 4, ROT-3, RECONF-2): rotation or reconfiguration of a selection of devices, paced at an SMS rate.
-- The campaign's state lives here; its work (chunks of device rows) waits in a durable Artemis queue of its own.
-- Flow and state diagrams: docs/flows/campaigns.md.

CREATE TABLE campaign (
    id                     BIGSERIAL    PRIMARY KEY,
    -- rotation (Rotations.start per device) or reconfiguration (the §3 trigger per device)
    kind                   VARCHAR(16)  NOT NULL CHECK (kind IN ('rotation', 'reconfiguration')),
    -- who started it: operator (the operator API), refresh (hub.rotation.refresh), template-change (RECONF-2)
    origin                 VARCHAR(16)  NOT NULL,
    -- the rotation reason (operator, compromised, due); null for a reconfiguration
    reason                 VARCHAR(16),
    -- the selection as given, JSON (explicit list, IMSI range, TAC, credential age, configured subscribers)
    selection              TEXT         NOT NULL,
    sms_rate_per_second    INTEGER      NOT NULL CHECK (sms_rate_per_second > 0),
    -- fanning_out → running → completed; paused and back; cancelled. Devices are dispatched in fanning_out too.
    state                  VARCHAR(16)  NOT NULL
                           CHECK (state IN ('fanning_out', 'running', 'paused', 'cancelled', 'completed')),
    -- Restartable fan-out: device rows exist for every selected IMSI up to written_through, and their work is in
    -- the queue up to queued_through (<= written_through). A fan-out that died resumes from these two.
    written_through        VARCHAR(15),
    queued_through         VARCHAR(15),
    selected               BIGINT       NOT NULL DEFAULT 0,
    fanned_out_at          TIMESTAMPTZ,
    -- a cancelled campaign's queue was emptied (its chunks are dropped, not dispatched)
    work_drained_at        TIMESTAMPTZ,
    created_at             TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ  NOT NULL DEFAULT now(),
    completed_at           TIMESTAMPTZ
);
CREATE INDEX campaign_unfinished ON campaign (id) WHERE state IN ('fanning_out', 'running', 'paused');

-- One row per selected device. The dispatcher claims a device (pending → done) in the same transaction as its
-- rotation or trigger, so a chunk processed twice (redelivery, two replicas, restart) acts on each device once.
-- No foreign key to campaign: it would cost a lookup per row of a million-row fan-out, and campaigns are never
-- deleted by the hub.
CREATE TABLE campaign_device (
    campaign_id  BIGINT       NOT NULL,
    imsi         VARCHAR(15)  NOT NULL,
    -- pending → done (rotation started / trigger queued), skipped (nothing to do: a rotation already in progress,
    -- unknown subscriber, no MSISDN), failed (the rotation failed at once, or an unexpected error), cancelled
    state        VARCHAR(12)  NOT NULL,
    detail       VARCHAR(120),
    updated_at   TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, imsi)
);
-- "is anything still pending?" (completion) and the safety-net sweep read only pending rows.
CREATE INDEX campaign_device_pending ON campaign_device (campaign_id, imsi) WHERE state = 'pending';

-- RECONF-2: the last seen fingerprint of each service's template (bound to every home network). A start-up that
-- finds a different one marks the served subscribers for the full document and starts a reconfiguration campaign.
CREATE TABLE service_template_fingerprint (
    service      VARCHAR(64)  PRIMARY KEY,
    fingerprint  VARCHAR(64)  NOT NULL,
    recorded_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
