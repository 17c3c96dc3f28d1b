-- HLR stand-in, part 3: the sandbox's named test subscribers, on the test network MCC 001 / MNC 01.
-- The billing stand-in seeds the same IMSI/MSISDN pairs with the billing states noted below; the hub's
-- behaviour for each case comes from combining the two. IMSI 001019999999999 is deliberately absent
-- (the "unknown subscriber" case).
--
-- IMEIs: TAC-like prefix 3520, a 10-digit serial, and a valid Luhn check digit.
-- K/OPc: the five MILENAGE test sets of 3GPP TS 35.208 (OPc = AES_K(OP) xor OP, checked), so a
-- later authentication test can reuse published vectors. Sandbox fixtures only, never real secrets.

INSERT INTO subscriber (imsi, msisdn, imei, nam_cs, nam_ps) VALUES
    -- 1: active, no barring, no opt-out
    ('001010000000001', '15550000001', '352000000000012', true, true),
    -- 2: barred from every service ('*' below)
    ('001010000000002', '15550000002', '352000000000020', true, true),
    -- 3: a normal HLR row; billing says its subscription is still being provisioned
    ('001010000000003', '15550000003', '352000000000038', true, true),
    -- 4: opted out of 'messaging' (below)
    ('001010000000004', '15550000004', '352000000000046', true, true),
    -- 5: a normal HLR row without packet-switched access; billing says permanently deprovisioned
    ('001010000000005', '15550000005', '352000000000053', true, false);

INSERT INTO auc_3g (subscriber_id, algo_id_3g, k, opc)
SELECT s.id, 5, c.k, c.opc
  FROM (VALUES
        ('001010000000001', '465b5ce8b199b49faa5f0a2ee238a6bc', 'cd63cb71954a9f4e48a5994e37a02baf'),
        ('001010000000002', 'fec86ba6eb707ed08905757b1bb44b8f', '1006020f0a478bf6b699f15c062e42b3'),
        ('001010000000003', '9e5944aea94b81165c82fbf9f32db751', 'a64a507ae1a2a98bb88eb4210135dc87'),
        ('001010000000004', '4ab1deb05ca6ceb051fc98e77d026a84', 'dcf07cbd51855290b92a07a9891e523e'),
        ('001010000000005', '6c38a116ac280c454f59332ee35c8c4f', '3803ef5363b947c6aaa225e58fae3934')
       ) AS c (imsi, k, opc)
  JOIN subscriber s ON s.imsi = c.imsi;

INSERT INTO subscriber_barring (subscriber_id, service)
SELECT id, '*' FROM subscriber WHERE imsi = '001010000000002';

INSERT INTO subscriber_service_opt_out (subscriber_id, service)
SELECT id, 'messaging' FROM subscriber WHERE imsi = '001010000000004';
