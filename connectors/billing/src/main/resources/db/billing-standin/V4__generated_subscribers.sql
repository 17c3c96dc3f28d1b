-- Subscribers for benchmarks, the same numbers as the HLR stand-in's: n = 1..100000 gives
-- +15551000001 .. +15551100000, each with both products active. One set-based INSERT: seeds in about a second.
INSERT INTO product (msisdn, offering_id, status)
SELECT '+1555' || lpad((1000000 + n)::text, 7, '0'), o.id, 'active'
FROM generate_series(1, 100000) AS n
CROSS JOIN product_offering o
ORDER BY n, o.id;
