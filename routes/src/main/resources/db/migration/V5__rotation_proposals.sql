-- Credential rotation (issue 4, ROT-2), second part: the nonce the configuration document carries, and the device's
-- proposal that answers it. PostgreSQL.

-- The nonce is single use: SHA-256 of it is kept (never the nonce), replaced each time a full document carries a new
-- one, and cleared when a proposal consumed it (rotated or failed). Unique while set: a nonce names one rotation.
ALTER TABLE rotation ADD COLUMN nonce_hash        VARCHAR(64);
ALTER TABLE rotation ADD COLUMN nonce_expires_at  TIMESTAMPTZ;
-- RFC 7638 thumbprint of the device key that signed the applied (or refused) proposal
ALTER TABLE rotation ADD COLUMN device_key        VARCHAR(64);
ALTER TABLE rotation ADD COLUMN rotated_at        TIMESTAMPTZ;
CREATE UNIQUE INDEX rotation_nonce ON rotation (nonce_hash) WHERE nonce_hash IS NOT NULL;
