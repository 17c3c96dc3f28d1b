-- HLR stand-in, part 5: HUB EXTENSIONS for new subscriptions (INT-1 "IMSI/MSISDN pools", SIGNUP-2/3/4).
-- Nothing in this file exists in OsmoHLR. An operator's real HLR (or its provisioning database) must offer the
-- same tables under these names for the hub to create subscribers, or the operator adapts the SQL of
-- JdbcHlrProvisioning; see connectors/hlr/README.md ("Number pools").
--
-- One row per number, as a provisioning database holds its number inventory: a number is
--   free         never handed out (or handed out long ago, see below),
--   allocated    held by the subscriber created under allocation_key,
--   quarantined  released (compensated sign-up, retired subscriber); not handed out before available_at, so a
--                number that may still sit in a network element, a profile or someone's address book is not
--                reused at once (hub.hlr.pools.quarantine, 90 days by default).
-- A quarantined number whose available_at has passed is taken like a free one; it keeps the label until then.
-- Allocation takes the number that has been available longest (available_at, then the number), with
-- UPDATE ... WHERE number = (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING: replicas allocating at the same
-- time each skip the rows the others hold locked, never wait for them, and never get the same number.

CREATE TABLE imsi_pool (
    imsi           varchar(15) PRIMARY KEY CHECK (imsi ~ '^[0-9]{6,15}$'),
    state          varchar(11) NOT NULL DEFAULT 'free' CHECK (state IN ('free', 'allocated', 'quarantined')),
    -- the subscriber_allocation holding it; set exactly when allocated
    allocation_key varchar(64),
    -- free: when it entered the pool; quarantined: when the quarantine ends; allocated: when it was taken
    available_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'allocated') = (allocation_key IS NOT NULL))
);
-- The allocation query's index: only the numbers that can be taken, in the order they are taken.
CREATE INDEX imsi_pool_available_idx ON imsi_pool (available_at, imsi) WHERE state <> 'allocated';

-- MSISDNs as OsmoHLR stores them in subscriber.msisdn: digits only, no '+'.
CREATE TABLE msisdn_pool (
    msisdn         varchar(15) PRIMARY KEY CHECK (msisdn ~ '^[0-9]{1,15}$'),
    state          varchar(11) NOT NULL DEFAULT 'free' CHECK (state IN ('free', 'allocated', 'quarantined')),
    allocation_key varchar(64),
    available_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'allocated') = (allocation_key IS NOT NULL))
);
CREATE INDEX msisdn_pool_available_idx ON msisdn_pool (available_at, msisdn) WHERE state <> 'allocated';

-- The caller's idempotency key bound to what was allocated under it: the same key never allocates twice.
-- 'released' rows stay (without numbers when the release came first): a key once released is spent, so an
-- allocation that lands after its own compensation (a timed-out call that committed late, a retried step) cannot
-- leave an orphan subscriber behind.
CREATE TABLE subscriber_allocation (
    allocation_key varchar(64) PRIMARY KEY CHECK (allocation_key ~ '^[A-Za-z0-9._-]{1,64}$'),
    -- 'allocating' only inside the allocating transaction (the claim of the key), never committed
    state          varchar(10) NOT NULL CHECK (state IN ('allocating', 'allocated', 'released')),
    -- no foreign keys to the pools or to subscriber: the numbers are kept after release, for the record
    imsi           varchar(15),
    msisdn         varchar(15),
    subscriber_id  bigint,
    allocated_at   timestamptz,
    released_at    timestamptz,
    CHECK (state <> 'allocated' OR (imsi IS NOT NULL AND msisdn IS NOT NULL AND subscriber_id IS NOT NULL))
);

-- Sandbox pools, 10,000 numbers each, on the test network MCC 001 / MNC 01, clear of every existing subscriber:
-- fixtures 001010000000001-5 / 15550000001-5, generated (V4, and the benchmarks' growth to ~1,000,005)
-- 001011000000001.. / 15551000001..15552000005.
--   IMSI   001010900000000 .. 001010900009999
--   MSISDN 15559000000 .. 15559009999 (+1555900xxxx)
-- One timestamp for all, so they are handed out in number order.
INSERT INTO imsi_pool (imsi, available_at)
SELECT '0010109' || lpad(n::text, 8, '0'), timestamptz '2026-01-01 00:00:00+00'
  FROM generate_series(0, 9999) AS n;

INSERT INTO msisdn_pool (msisdn, available_at)
SELECT '1555900' || lpad(n::text, 4, '0'), timestamptz '2026-01-01 00:00:00+00'
  FROM generate_series(0, 9999) AS n;

ANALYZE imsi_pool;
ANALYZE msisdn_pool;
