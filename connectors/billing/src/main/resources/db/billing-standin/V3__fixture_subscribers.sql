-- Named fixtures shared with the HLR stand-in (same MSISDNs); each holds both products.
--   +15550000001 active
--   +15550000002 active in billing; barred in the HLR
--   +15550000003 pendingActive: the subscription is still being provisioned
--   +15550000004 active in billing; opted out in the HLR
--   +15550000005 terminated: permanently deprovisioned
INSERT INTO product (msisdn, offering_id, status)
SELECT f.msisdn, o.id, f.status
FROM (VALUES ('+15550000001', 'active'),
             ('+15550000002', 'active'),
             ('+15550000003', 'pendingActive'),
             ('+15550000004', 'active'),
             ('+15550000005', 'terminated')) AS f (msisdn, status)
CROSS JOIN product_offering o
ORDER BY f.msisdn, o.id;
