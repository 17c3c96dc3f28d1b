-- Headed sign-up (issue 5, SIGNUP-2): the device's challenges and limited sessions, and the sign-up saga's state.

-- A single-use challenge (nonce) a device signs with its manufacturer key. Only its SHA-256 is kept: a database
-- reader cannot answer a challenge that is still open.
CREATE TABLE signup_nonce (
    nonce_hash  VARCHAR(64)  PRIMARY KEY,
    expires_at  TIMESTAMPTZ  NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX signup_nonce_expiry ON signup_nonce (expires_at);

-- A limited session: the cookie's SHA-256, bound to the device identity the signed challenge proved.
CREATE TABLE signup_session (
    session_hash       VARCHAR(64)  PRIMARY KEY,
    device_kind        VARCHAR(8)   NOT NULL,
    device_value       VARCHAR(64)  NOT NULL,
    device_fingerprint VARCHAR(64)  NOT NULL,
    -- the device certificate's public key (RFC 7517), what its profile is encrypted to
    public_jwk         TEXT         NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at         TIMESTAMPTZ  NOT NULL
);
CREATE INDEX signup_session_expiry ON signup_session (expires_at);

-- One sign-up per device at a time (the saga's state machine, docs/flows/signup.md). The id is the idempotency key
-- of every remote write (HLR allocation, billing order). K never lands here: only the JWE the device can open.
CREATE TABLE signup (
    id                 UUID         PRIMARY KEY,
    device_kind        VARCHAR(8)   NOT NULL,
    device_value       VARCHAR(64)  NOT NULL,
    device_fingerprint VARCHAR(64)  NOT NULL,
    public_jwk         TEXT         NOT NULL,
    plan_id            VARCHAR(64)  NOT NULL,
    -- the customer's details, kept only while billing may still need them (cleared once the saga ends)
    customer_name      VARCHAR(200),
    customer_email     VARCHAR(254),
    -- requested → hlr_allocated → billing_ordered → ready → active; or → compensating → failed
    state              VARCHAR(16)  NOT NULL,
    billing_attempted  BOOLEAN      NOT NULL DEFAULT false,
    imsi               VARCHAR(15),
    msisdn             VARCHAR(16),
    billing_order_id   VARCHAR(64),
    profile_jwe        TEXT,
    failure_reason     TEXT,
    attempts           INT          NOT NULL DEFAULT 0,
    next_attempt_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    lease_until        TIMESTAMPTZ,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    activated_at       TIMESTAMPTZ,
    event_published_at TIMESTAMPTZ
);
-- A device has at most one sign-up that has not failed: a repeated submit finds it instead of starting another.
CREATE UNIQUE INDEX signup_one_per_device ON signup (device_fingerprint) WHERE state <> 'failed';
CREATE INDEX signup_due ON signup (next_attempt_at) WHERE state IN ('requested', 'hlr_allocated', 'billing_ordered', 'compensating');
CREATE INDEX signup_unpublished ON signup (id) WHERE state = 'active' AND event_published_at IS NULL;
