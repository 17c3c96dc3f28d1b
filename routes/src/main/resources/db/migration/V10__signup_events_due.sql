-- Sign-up activation events (SignupEvents): due once activated and not yet published, whatever the binding's state
-- now. V7's partial index required state = 'active', so a binding reassigned or released between its activation and
-- the next publishing run (hub.signup.check-interval) was never published.
DROP INDEX signup_unpublished;
CREATE INDEX signup_unpublished ON signup (activated_at) WHERE activated_at IS NOT NULL AND event_published_at IS NULL;
