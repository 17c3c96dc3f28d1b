-- The OTP flows (RCC.14 §2.3, §2.5, §2.6; OTP-1 … OTP-7) and the SMS outbox's records (INT-3). PostgreSQL.

-- One OTP challenge. Cookie-bound challenges (§2.3.2, §2.5.1) are found by the hash of the cookie that the 200 OK
-- set; out-of-band challenges (§2.6, issued through the operator API) have no cookie and are found by identity.
-- The OTP itself is never stored: otp_hash is HMAC-SHA-256 keyed with hub.otp.hash-key over (salt, OTP), so a
-- leaked table does not let anyone try the 10^6..10^8 candidates offline.
CREATE TABLE otp_challenge (
    id                   BIGSERIAL    PRIMARY KEY,
    cookie_hash          BYTEA        UNIQUE,
    -- primary (§2.3.2), additional (§2.5.1), dedicated (§2.6)
    purpose              VARCHAR(16)  NOT NULL,
    imsi                 VARCHAR(15),
    msisdn               VARCHAR(16),
    device_type          VARCHAR(8),
    friendly_device_name VARCHAR(120),
    salt                 BYTEA        NOT NULL,
    otp_hash             BYTEA        NOT NULL,
    attempts             INTEGER      NOT NULL DEFAULT 0,
    max_attempts         INTEGER      NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at           TIMESTAMPTZ  NOT NULL,
    used_at              TIMESTAMPTZ
);
CREATE INDEX otp_challenge_out_of_band ON otp_challenge (msisdn, purpose) WHERE cookie_hash IS NULL;
CREATE INDEX otp_challenge_expires_at ON otp_challenge (expires_at);

-- Tokens issued by the OTP flows say which device they belong to (§2.5.1: "the token shall be stored with the
-- MSISDN"; Tables 12/14 device_type and friendly_device_name).
ALTER TABLE access_token ADD COLUMN issued_by VARCHAR(16) NOT NULL DEFAULT 'cellular';
ALTER TABLE access_token ADD COLUMN device_type VARCHAR(8);
ALTER TABLE access_token ADD COLUMN friendly_device_name VARCHAR(120);
CREATE INDEX access_token_msisdn ON access_token (msisdn);

-- SMS abuse limits (OTP-7), shared by every replica: one counter per subject (an MSISDN or a client address)
-- and fixed window.
CREATE TABLE sms_rate_window (
    subject      VARCHAR(80)  NOT NULL,
    window_start TIMESTAMPTZ  NOT NULL,
    window_end   TIMESTAMPTZ  NOT NULL,
    sent         INTEGER      NOT NULL,
    PRIMARY KEY (subject, window_start)
);
CREATE INDEX sms_rate_window_end ON sms_rate_window (window_end);

-- Every SMS the hub accepted into its outbox, and what became of it. The outbox message in Artemis carries the
-- content; this row carries the state, so a redelivered message is never submitted twice (submitted → skip).
CREATE TABLE sms_message (
    reference      UUID         PRIMARY KEY,
    purpose        VARCHAR(24)  NOT NULL,
    msisdn         VARCHAR(16)  NOT NULL,
    -- queued → submitting → submitted, or retrying in between, or failed / expired; the receipt sets
    -- delivery_state (DELIVRD, UNDELIV, EXPIRED …)
    state          VARCHAR(16)  NOT NULL,
    -- after this the SMS is pointless (an OTP past its validity); Artemis drops the message, this row says so
    expires_at     TIMESTAMPTZ,
    attempts       INTEGER      NOT NULL DEFAULT 0,
    last_error     VARCHAR(200),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    submitted_at   TIMESTAMPTZ,
    delivery_state VARCHAR(10),
    delivered_at   TIMESTAMPTZ
);
CREATE INDEX sms_message_created_at ON sms_message (created_at);

-- The SMSC's id of each submitted segment, to correlate delivery receipts (SMPP 3.4 Appendix B).
-- SMSC ids are only unique within one SMSC's lifetime, hence not the key.
CREATE TABLE sms_segment (
    reference       UUID         NOT NULL REFERENCES sms_message (reference) ON DELETE CASCADE,
    segment         INTEGER      NOT NULL,
    smsc_message_id VARCHAR(65)  NOT NULL,
    submitted_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    delivery_state  VARCHAR(10),
    error_code      VARCHAR(10),
    done_at         TIMESTAMPTZ,
    PRIMARY KEY (reference, segment)
);
CREATE INDEX sms_segment_smsc_message_id ON sms_segment (smsc_message_id);
