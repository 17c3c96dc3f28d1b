-- The operator plane's audit trail (issue 13, OPS-6; docs/security.md#audit-trail): every operator action and every
-- read of a subscriber's data, append-only and hash-chained.
--
-- Each row carries the hash of the row before it (previous_hash) and its own hash: an HMAC-SHA-256, under a key derived
-- from the hub's secret, of its id, its content and previous_hash (AuditChain). Editing, deleting or inserting a row
-- anywhere breaks the chain at that row, and without the key nobody can re-seal it. Ids are consecutive (taken from
-- audit_chain, not a sequence), so a missing row also shows as a gap.
CREATE TABLE audit_event (
    id            BIGINT PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    subject       TEXT NOT NULL,
    client_id     TEXT,
    roles         TEXT NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT,
    -- JSON text exactly as hashed (a jsonb column would reorder keys and change the bytes).
    parameters    TEXT NOT NULL,
    status        INTEGER NOT NULL,
    reason        TEXT,
    trace_id      TEXT NOT NULL,
    previous_hash BYTEA NOT NULL,
    hash          BYTEA NOT NULL
);
CREATE INDEX audit_event_at ON audit_event (at);
CREATE INDEX audit_event_subject ON audit_event (subject, id);
CREATE INDEX audit_event_action ON audit_event (action, id);
CREATE INDEX audit_event_target ON audit_event (target, id) WHERE target IS NOT NULL;

-- The chain's two ends, one row. Appends lock it (one writer at a time, across replicas) and move the head; the
-- retention purge moves the anchor, which says where the kept chain starts and is sealed with the key too, so deleting
-- the oldest rows outside the purge also shows.
CREATE TABLE audit_chain (
    id          SMALLINT PRIMARY KEY CHECK (id = 1),
    head_id     BIGINT NOT NULL,
    head_hash   BYTEA NOT NULL,
    anchor_id   BIGINT NOT NULL,
    anchor_hash BYTEA NOT NULL,
    anchor_seal BYTEA
);
INSERT INTO audit_chain (id, head_id, head_hash, anchor_id, anchor_hash, anchor_seal)
VALUES (1, 0, decode(repeat('00', 32), 'hex'), 0, decode(repeat('00', 32), 'hex'), NULL);

-- Append-only for the application: a row is never updated. (Whoever can drop this trigger can also edit rows: that is
-- what the chain is for.)
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END
$$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
