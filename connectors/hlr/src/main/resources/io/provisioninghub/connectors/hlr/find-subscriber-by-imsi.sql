-- HLR lookup by IMSI (route hlr-find-by-imsi). One statement, one round trip: the subscriber row by its
-- UNIQUE index, with the barring and opt-out sets as arrays from subselects on their primary keys.
-- ARRAY(subquery) yields an empty array, never NULL, when there is nothing to list.
SELECT s.id,
       s.imsi,
       s.msisdn,
       s.imei,
       ARRAY(SELECT b.service FROM subscriber_barring b WHERE b.subscriber_id = s.id) AS barred_services,
       ARRAY(SELECT o.service FROM subscriber_service_opt_out o WHERE o.subscriber_id = s.id) AS opted_out_services
  FROM subscriber s
 WHERE s.imsi = :#imsi
