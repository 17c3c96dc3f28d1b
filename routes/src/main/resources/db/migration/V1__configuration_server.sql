-- The hub's own tables for the RCC.14 configuration server (issue 2). PostgreSQL.
-- Every replica shares them: nothing a second replica needs is kept in memory (OPS-2).

-- RCC.14 §2.2: the cookie that correlates the HTTP request (identified by the network) with the HTTPS one.
-- Only the SHA-256 of the cookie value is stored: a leaked table opens no session.
CREATE TABLE config_session (
    cookie_hash  BYTEA PRIMARY KEY,
    msisdn       VARCHAR(16),
    imsi         VARCHAR(15),
    -- true: identity asserted by a trusted gateway (header enrichment). false: a 511 session (§2.3.1.1,
    -- §2.2.5 security-enhanced) that must still be proven, e.g. by an OTP.
    verified     BOOLEAN     NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX config_session_expires_at ON config_session (expires_at);

-- VERS version of each distinct static configuration (RCC.14 §2.2.1: the version identifies the static,
-- non-user-dependent parameters). One row per fingerprint, so every replica gives equal inputs an equal version.
CREATE SEQUENCE config_version_seq START WITH 1;
CREATE TABLE config_version (
    fingerprint BYTEA PRIMARY KEY,
    version     BIGINT      NOT NULL UNIQUE,
    issued_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What each subscriber was last sent, and customer care's resend mark (§2.2.4 case 3).
CREATE TABLE subscriber_config (
    imsi              VARCHAR(15) PRIMARY KEY,
    last_version      BIGINT      NOT NULL DEFAULT 0,
    resend_requested  BOOLEAN     NOT NULL DEFAULT FALSE,
    last_served_at    TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- TOKEN characteristic values (§2.2.2), bound to the identity they were issued for; stored hashed.
CREATE TABLE access_token (
    token_hash  BYTEA PRIMARY KEY,
    imsi        VARCHAR(15),
    msisdn      VARCHAR(16),
    -- false: the token identifies the user but does not privilege configuration (§2.3.2 case 3).
    privileged  BOOLEAN     NOT NULL DEFAULT TRUE,
    issued_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX access_token_imsi ON access_token (imsi);

-- The subscriber's devices and their friendly names (Table 1 friendly_device_name; 409 on a duplicate, Table 8).
CREATE TABLE device_registration (
    imsi                 VARCHAR(15)  NOT NULL,
    device_key           VARCHAR(64)  NOT NULL,
    friendly_device_name VARCHAR(120),
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (imsi, device_key)
);
CREATE UNIQUE INDEX device_registration_friendly_name
    ON device_registration (imsi, friendly_device_name) WHERE friendly_device_name IS NOT NULL;
