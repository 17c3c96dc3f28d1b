-- Credential rotation (issue 4, ROT-1/ROT-2), first part: the intake of rotation requests from Kafka. PostgreSQL.

-- One row per accepted rotation request. CloudEvents identifies an event by (source, id): the unique key makes the
-- intake idempotent, so a redelivered record (a consumer restart before its offset was committed) is applied once.
CREATE TABLE rotation (
    id               BIGSERIAL    PRIMARY KEY,
    event_source     VARCHAR(256) NOT NULL,
    event_id         VARCHAR(128) NOT NULL,
    imsi             VARCHAR(15)  NOT NULL,
    reason           VARCHAR(16)  NOT NULL,
    -- requested → notified (tokens revoked, trigger SMS queued) → re-notified with back-off → expired when the
    -- device never answers; failed (unknown subscriber, no MSISDN). Still to be built: nonce issued, proposal
    -- validated, rotated.
    state            VARCHAR(16)  NOT NULL,
    failure_reason   VARCHAR(200),
    notifications    INTEGER      NOT NULL DEFAULT 0,
    next_notify_at   TIMESTAMPTZ,
    last_sms         UUID,
    -- the result event (rotated, failed, expired) was published to Kafka; null while due (the publisher retries)
    result_published_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (event_source, event_id)
);
-- At most one rotation in progress per subscriber: a second request while one runs joins it (no second SMS).
CREATE UNIQUE INDEX rotation_in_progress ON rotation (imsi) WHERE state IN ('requested', 'notified');
CREATE INDEX rotation_next_notify ON rotation (next_notify_at) WHERE state = 'notified';
CREATE INDEX rotation_result_due ON rotation (id) WHERE state IN ('failed', 'expired', 'rotated') AND result_published_at IS NULL;
