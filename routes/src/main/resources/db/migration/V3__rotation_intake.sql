-- Credential rotation (issue 4, ROT-1/ROT-2), first part: the intake of rotation requests from Kafka. PostgreSQL.

-- One row per accepted rotation request. CloudEvents identifies an event by (source, id): the unique key makes the
-- intake idempotent, so a redelivered record (a consumer restart before its offset was committed) is applied once.
CREATE TABLE rotation (
    id               BIGSERIAL    PRIMARY KEY,
    event_source     VARCHAR(256) NOT NULL,
    event_id         VARCHAR(128) NOT NULL,
    imsi             VARCHAR(15)  NOT NULL,
    reason           VARCHAR(16)  NOT NULL,
    -- requested → notified (tokens revoked, trigger SMS queued); failed (unknown subscriber, no MSISDN).
    -- The rest of the state machine (nonce issued, proposal validated, rotated, expired) is still to be built.
    state            VARCHAR(16)  NOT NULL,
    failure_reason   VARCHAR(200),
    notifications    INTEGER      NOT NULL DEFAULT 0,
    last_sms         UUID,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (event_source, event_id)
);
-- At most one rotation in progress per subscriber: a second request while one runs joins it (no second SMS).
CREATE UNIQUE INDEX rotation_in_progress ON rotation (imsi) WHERE state IN ('requested', 'notified');
