-- HLR lookup by MSISDN (route hlr-find-by-msisdn). The parameter is digits only, as OsmoHLR stores it;
-- the client removes the '+'. Same shape and cost as the lookup by IMSI.
SELECT s.id,
       s.imsi,
       s.msisdn,
       s.imei,
       ARRAY(SELECT b.service FROM subscriber_barring b WHERE b.subscriber_id = s.id) AS barred_services,
       ARRAY(SELECT o.service FROM subscriber_service_opt_out o WHERE o.subscriber_id = s.id) AS opted_out_services
  FROM subscriber s
 WHERE s.msisdn = :#msisdn
