-- HLR stand-in, part 2: HUB EXTENSIONS. Nothing in this file exists in OsmoHLR.
-- An operator's real HLR (or its provisioning database) must offer the same data under these names for
-- the hub's lookups to work; see connectors/hlr/README.md.
-- Service names are lower-case identifiers; the sandbox uses 'ims' and 'messaging'.

-- Services a subscriber is barred from (RCC.14 2.2.4 case 4). '*' bars every service.
CREATE TABLE subscriber_barring (
    subscriber_id bigint      NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
    service       varchar(64) NOT NULL CHECK (service = '*' OR service ~ '^[a-z][a-z0-9_-]*$'),
    -- the primary key's index (subscriber_id first) serves the per-subscriber subselect of each lookup
    PRIMARY KEY (subscriber_id, service)
);

-- Services customer care disabled at the subscriber's request (RCC.14 2.2.4 case 7). No wildcard here:
-- an opt-out is always for a named service.
CREATE TABLE subscriber_service_opt_out (
    subscriber_id bigint      NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
    service       varchar(64) NOT NULL CHECK (service ~ '^[a-z][a-z0-9_-]*$'),
    PRIMARY KEY (subscriber_id, service)
);

-- When K/OPc were last set: credential rotation picks the oldest credentials first, hence the index.
ALTER TABLE auc_3g ADD COLUMN credential_updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX auc_3g_credential_updated_at_idx ON auc_3g (credential_updated_at);
