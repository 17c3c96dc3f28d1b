-- Housekeeping (common/ExpiredRows) runs on every replica every hub.policy.housekeeping-interval. Without an index
-- for its condition each run read the whole table: access_token holds every device's 90-day token (millions of rows
-- at a large operator), sms_message one row per SMS. With these, a run costs a few index pages when nothing is due.

-- AccessTokens.PURGEABLE: expires_at < now() OR revoked_at < now() - 30 days (a bitmap OR of the two).
CREATE INDEX access_token_expires_at ON access_token (expires_at);
CREATE INDEX access_token_revoked_at ON access_token (revoked_at) WHERE revoked_at IS NOT NULL;

-- SmsRecords.EXPIRED_UNSENT: the few SMS still waiting, by expiry. (The retention purge uses sms_message_created_at.)
CREATE INDEX sms_message_unsent_expiry ON sms_message (expires_at) WHERE state IN ('queued', 'retrying');
