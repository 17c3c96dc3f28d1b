-- HLR stand-in, part 1: OsmoHLR's own tables (osmo-hlr sql/hlr.sql, schema version 4), in PostgreSQL.
-- The hub reads a real HLR through this shape, so column names and meanings follow OsmoHLR exactly;
-- the chapter numbers refer to 3GPP TS 23.008 as in OsmoHLR's file. Differences from the SQLite original:
--   * ids are bigserial (SQLite's INTEGER PRIMARY KEY auto-increments too);
--   * booleans default to true/false instead of 1/0, timestamps are timestamptz;
--   * sqn is bigint: a 48-bit SEQ/IND value does not fit PostgreSQL's 32-bit integer;
--   * imei is varchar(15): OsmoHLR stores 14 digits (no check digit), the sandbox stores all 15;
--     the client accepts both and always returns 15;
--   * foreign keys and CHECKs that OsmoHLR leaves to its C code.
-- Hub additions live in V2 and are marked there.

CREATE TABLE subscriber (
    id                   bigserial PRIMARY KEY,
    -- Chapter 2.1.1.1
    imsi                 varchar(15) NOT NULL UNIQUE CHECK (imsi ~ '^[0-9]{6,15}$'),
    -- Chapter 2.1.2: digits only, no '+', as OsmoHLR stores it
    msisdn               varchar(15) UNIQUE CHECK (msisdn ~ '^[0-9]{1,15}$'),
    -- Chapter 2.2.3: most recent / current IMEISV
    imeisv               varchar,
    -- Chapter 2.1.9: most recent / current IMEI
    imei                 varchar(15) CHECK (imei ~ '^[0-9]{14,15}$'),
    -- Chapter 2.4.5
    vlr_number           varchar(15),
    -- Chapter 2.4.6
    msc_number           varchar(15),
    -- Chapter 2.4.8.1
    sgsn_number          varchar(15),
    -- Chapter 2.13.10
    sgsn_address         varchar,
    -- Chapter 2.4.8.2
    ggsn_number          varchar(15),
    -- Chapter 2.4.9.2
    gmlc_number          varchar(15),
    -- Chapter 2.4.23
    smsc_number          varchar(15),
    -- Chapter 2.4.24
    periodic_lu_tmr      integer,
    -- Chapter 2.13.115
    periodic_rau_tau_tmr integer,
    -- Chapter 2.1.1.2: network access mode (circuit / packet switched)
    nam_cs               boolean NOT NULL DEFAULT true,
    nam_ps               boolean NOT NULL DEFAULT true,
    -- Chapter 2.1.8
    lmsi                 integer,
    -- Chapters 2.7.5 and 2.7.6 (TS 23.012 3.6.1.4: may not even be stored non-volatile)
    ms_purged_cs         boolean NOT NULL DEFAULT false,
    ms_purged_ps         boolean NOT NULL DEFAULT false,
    -- last location update seen from the subscriber (CS and PS)
    last_lu_seen         timestamptz DEFAULT NULL,
    last_lu_seen_ps      timestamptz DEFAULT NULL
);
-- imsi and msisdn are UNIQUE, so PostgreSQL already indexes both: the hub's two lookups are index scans.
-- (OsmoHLR's extra "idx_subscr_imsi" would duplicate the UNIQUE index and is left out.)

CREATE TABLE subscriber_apn (
    subscriber_id bigint NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
    apn           varchar(256) NOT NULL
);
CREATE INDEX subscriber_apn_subscriber_idx ON subscriber_apn (subscriber_id);

-- Chapter 2.1.3
CREATE TABLE subscriber_multi_msisdn (
    subscriber_id bigint NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
    msisdn        varchar(15) NOT NULL CHECK (msisdn ~ '^[0-9]{1,15}$')
);
CREATE INDEX subscriber_multi_msisdn_subscriber_idx ON subscriber_multi_msisdn (subscriber_id);

CREATE TABLE auc_2g (
    subscriber_id bigint PRIMARY KEY REFERENCES subscriber (id) ON DELETE CASCADE,
    algo_id_2g    integer NOT NULL,                                   -- enum osmo_auth_algo value
    ki            varchar(32) NOT NULL CHECK (ki ~ '^[0-9a-fA-F]+$')  -- hex: subscriber's secret key (128 bit)
);

CREATE TABLE auc_3g (
    subscriber_id bigint PRIMARY KEY REFERENCES subscriber (id) ON DELETE CASCADE,
    algo_id_3g    integer NOT NULL,                                     -- enum osmo_auth_algo value (5 = MILENAGE)
    k             varchar(32) NOT NULL CHECK (k ~ '^[0-9a-fA-F]+$'),   -- hex: subscriber's secret key (128 bit)
    op            varchar(32) CHECK (op ~ '^[0-9a-fA-F]+$'),           -- hex: operator's secret key (128 bit)
    opc           varchar(32) CHECK (opc ~ '^[0-9a-fA-F]+$'),          -- hex: derived from OP and K (128 bit)
    sqn           bigint NOT NULL DEFAULT 0,                            -- sequence number of key usage
    ind_bitlen    integer NOT NULL DEFAULT 5                            -- number of index bits at the lower SQN end
);
