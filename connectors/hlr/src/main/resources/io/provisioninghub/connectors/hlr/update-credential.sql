-- Replace a subscriber's 3G/4G credential (route hlr-update-credential; issue 4, ROT-2): K and OPc in one statement,
-- so in one transaction. OPc replaces OP (OsmoHLR keeps one or the other; the hub computes OPc, TS 35.206 §2.3).
-- A subscriber without an auc_3g row gets one (MILENAGE, algo_id_3g 5). The SQN is kept: it lives on the USIM side
-- too, and restarting it would only make the next authentications resynchronise.
-- credential_updated_at is the stand-in's extension (V2__hub_extensions.sql): what credential-age selections read.
INSERT INTO auc_3g (subscriber_id, algo_id_3g, k, opc, credential_updated_at)
SELECT s.id, 5, :#k, :#opc, now()
  FROM subscriber s
 WHERE s.imsi = :#imsi
ON CONFLICT (subscriber_id) DO UPDATE
   SET algo_id_3g = 5, k = EXCLUDED.k, opc = EXCLUDED.opc, op = NULL, credential_updated_at = now()
