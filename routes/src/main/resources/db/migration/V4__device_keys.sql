-- The device key registry (issue 4, ROT-2): the public key each device signs its credential proposals with.
-- One key per subscription and device (IMEI; '' when the operator binds a key to the subscription alone).
CREATE TABLE device_key (
    imsi        VARCHAR(15)  NOT NULL,
    imei        VARCHAR(15)  NOT NULL DEFAULT '',
    -- the public JWK (RFC 7517) as given, private members refused
    public_jwk  TEXT         NOT NULL,
    -- RFC 7638 SHA-256 thumbprint, base64url: how logs and the API refer to the key
    thumbprint  VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (imsi, imei)
);
