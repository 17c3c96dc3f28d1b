-- Headless devices and change of owner (issue 5, SIGNUP-3/4): the operator binds device identities to subscriptions
-- ahead of time (bulk), the device fetches its profile at first access, and a binding can be moved to another
-- subscription or released to another operator. A binding is a row of the same `signup` table as a headed sign-up:
-- one saga, one profile format, one first-access flow (docs/flows/headless.md).

-- portal: a headed sign-up from the page; bulk: bound by the operator's API; reassign: the successor of a binding
-- moved to another subscription.
ALTER TABLE signup ADD COLUMN origin VARCHAR(8) NOT NULL DEFAULT 'portal';
-- The device key's RFC 7638 thumbprint (SHA-256, hex): a row bound by IMEI + public key has no certificate yet, so the
-- device's first access is matched by (identity, key) rather than by certificate fingerprint.
ALTER TABLE signup ADD COLUMN key_thumbprint VARCHAR(64);
ALTER TABLE signup ALTER COLUMN device_fingerprint DROP NOT NULL;
-- A device bound to an existing subscription has no plan of the hub's choosing.
ALTER TABLE signup ALTER COLUMN plan_id DROP NOT NULL;
-- Bound to a subscription that already exists in the HLR (imsi set at binding time): the saga gives it a fresh
-- K/OPc at first access instead of allocating numbers and ordering in billing.
ALTER TABLE signup ADD COLUMN existing_subscription BOOLEAN NOT NULL DEFAULT false;
-- The operator's own label of the bulk row (echoed in lookups), and where a released device went.
ALTER TABLE signup ADD COLUMN reference VARCHAR(64);
ALTER TABLE signup ADD COLUMN released_to VARCHAR(64);
ALTER TABLE signup ADD COLUMN released_at TIMESTAMPTZ;

-- States now: bound (waits for the device's first access) → requested → … → ready → active; compensating → failed;
-- releasing → released (the binding was moved or released: its credentials are being revoked).
-- One live binding per device identity (a renewed certificate with the same IMEI is the same device), and one live
-- binding per existing subscription.
DROP INDEX signup_one_per_device;
CREATE UNIQUE INDEX signup_one_per_device ON signup (device_kind, device_value)
    WHERE state NOT IN ('failed', 'releasing', 'released');
CREATE UNIQUE INDEX signup_one_per_subscription ON signup (imsi)
    WHERE imsi IS NOT NULL AND state NOT IN ('failed', 'releasing', 'released');
CREATE INDEX signup_by_fingerprint ON signup (device_fingerprint);
-- value first: the bulk binding looks devices up by value alone (= ANY), a device by kind and value.
CREATE INDEX signup_by_device ON signup (device_value, device_kind);
DROP INDEX signup_due;
CREATE INDEX signup_due ON signup (next_attempt_at)
    WHERE state IN ('requested', 'hlr_allocated', 'billing_ordered', 'compensating', 'releasing');
