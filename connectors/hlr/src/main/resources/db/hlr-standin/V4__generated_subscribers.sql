-- HLR stand-in, part 4: 100 000 generated subscribers for benchmarks and campaigns.
-- The billing stand-in seeds exactly the same numbers, so these formulas must not change:
--   n      = 1 .. 100000
--   IMSI   = '00101' || lpad((1000000000 + n), 10, '0')   -> 001011000000001 .. 001011000100000
--   MSISDN = '1555'  || lpad((1000000 + n), 7, '0')       -> 15551000001 .. 15551100000
-- IMEI   = '3510' || lpad(n, 10, '0') plus its Luhn check digit (deterministic, valid).
-- K, OPc = md5 of a label and the IMSI: deterministic 32-hex values, distinct per subscriber.
-- No barring, no opt-out. Set-based (one INSERT each), so it runs in a second or two.

WITH generated AS (
    SELECT n, '3510' || lpad(n::text, 10, '0') AS imei_body
      FROM generate_series(1, 100000) AS n
), inserted AS (
    INSERT INTO subscriber (imsi, msisdn, imei)
    SELECT '00101' || lpad((1000000000 + g.n)::text, 10, '0'),
           '1555' || lpad((1000000 + g.n)::text, 7, '0'),
           g.imei_body || luhn.check_digit
      FROM generated g
     CROSS JOIN LATERAL (
           -- Luhn over the 14-digit body: every second digit from the right of the full IMEI
           -- (the body's even positions) is doubled, and the digits of each product are summed.
           SELECT ((10 - sum(CASE WHEN i % 2 = 0
                                  THEN (2 * substr(g.imei_body, i, 1)::int) / 10
                                     + (2 * substr(g.imei_body, i, 1)::int) % 10
                                  ELSE substr(g.imei_body, i, 1)::int
                             END) % 10) % 10)::text AS check_digit
             FROM generate_series(1, 14) AS i
           ) AS luhn
    RETURNING id, imsi
)
INSERT INTO auc_3g (subscriber_id, algo_id_3g, k, opc)
SELECT id, 5, md5('k:' || imsi), md5('opc:' || imsi)
  FROM inserted;

-- The planner should know the table grew from 5 to 100 005 rows before the first lookups.
ANALYZE subscriber;
ANALYZE auc_3g;
