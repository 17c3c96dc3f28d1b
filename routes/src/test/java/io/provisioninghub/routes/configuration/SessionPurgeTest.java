package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.ExpiredRows;
import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CFG-2: cookie sessions expire, and the purge keeps up with the rate they are opened. At 1,000 first requests per
 * second 60,000 sessions expire per minute, more than one purge batch: every expired one must go in a run, and no
 * live one. Tokens are purged the same way (common/ExpiredRows).
 */
class SessionPurgeTest {

    @Test // CFG-2
    void purgeRemovesEveryExpiredSessionInOneRunAndKeepsLiveOnes() {
        HubInstance hub = HubInstance.shared();
        JdbcTemplate db = hub.hubDatabase();
        db.update("INSERT INTO config_session (cookie_hash, msisdn, imsi, verified, created_at, expires_at) "
                + "SELECT sha256(('session-purge-test-' || g)::bytea), NULL, NULL, TRUE, now() - interval '1 hour', "
                + "now() - interval '1 minute' FROM generate_series(1, 25000) AS g");
        HttpResponse<String> first = hub.device().firstRequest("+15551000040", "001011000000040");
        String liveCookie = DeviceClient.cookieOf(first).orElseThrow();

        hub.context().getBean(ConfigurationSessions.class).purgeExpired();

        assertThat(db.queryForObject("SELECT count(*) FROM config_session WHERE expires_at < now()", Long.class))
                .isZero();
        // the session opened above is still honoured
        HttpResponse<String> second = hub.device().secureRequest(table1(0, null), liveCookie, Map.of());
        assertThat(second.statusCode()).isEqualTo(200);
    }

    @Test // CFG-4 / OTP-4 tokens: every expired token goes in one run, a valid one stays
    void tokenPurgeRemovesEveryExpiredTokenInOneRun() {
        HubInstance hub = HubInstance.shared();
        JdbcTemplate db = hub.hubDatabase();
        db.update("INSERT INTO access_token (token_hash, imsi, msisdn, expires_at) "
                + "SELECT sha256(('token-purge-test-' || g)::bytea), NULL, NULL, now() - interval '1 minute' "
                + "FROM generate_series(1, 25000) AS g");
        db.update("INSERT INTO access_token (token_hash, imsi, msisdn, expires_at) "
                + "VALUES (sha256('token-purge-test-valid'::bytea), NULL, NULL, now() + interval '1 day')");

        hub.context().getBean(AccessTokens.class).purgeExpired();

        assertThat(db.queryForObject("SELECT count(*) FROM access_token WHERE expires_at < now()", Long.class)).isZero();
        assertThat(db.queryForObject("SELECT count(*) FROM access_token WHERE token_hash = "
                + "sha256('token-purge-test-valid'::bytea)", Long.class)).isEqualTo(1);
    }

    @Test // CFG-4: the token purge runs every interval on a table holding every device's token
    void tokenPurgeFindsDueTokensThroughIndexes() {
        JdbcTemplate db = HubInstance.shared().hubDatabase();
        try {
            db.update("INSERT INTO access_token (token_hash, imsi, msisdn, expires_at, revoked_at) "
                    + "SELECT sha256(('token-plan-test-' || g)::bytea), NULL, NULL, now() + interval '90 days', "
                    + "CASE WHEN g % 100 = 0 THEN now() END FROM generate_series(1, 60000) AS g");
            db.execute("ANALYZE access_token");
            String plan = String.join("\n", db.queryForList(
                    "EXPLAIN " + ExpiredRows.batchQuery("access_token", AccessTokens.PURGEABLE), String.class));
            assertThat(plan).contains("access_token_expires_at").contains("access_token_revoked_at")
                    .doesNotContain("Seq Scan");
        } finally {
            db.update("DELETE FROM access_token WHERE token_hash IN "
                    + "(SELECT sha256(('token-plan-test-' || g)::bytea) FROM generate_series(1, 60000) AS g)");
        }
    }

    @Test // OPS-3: each housekeeping run is visible on /actuator/prometheus, a failing one as outcome ERROR (runbook)
    void housekeepingRunsAreMetered() throws InterruptedException {
        HubInstance hub = HubInstance.shared();
        String metrics = "";
        for (int i = 0; i < 50 && !metrics.contains("code_function=\"purgeExpired\""); i++) {
            Thread.sleep(100); // the session purge runs every second from the start
            // The management plane: plain HTTP on loopback, its own port.
            metrics = hub.device().get("http://127.0.0.1:" + hub.managementPort() + "/actuator/prometheus", Map.of()).body();
        }
        assertThat(metrics).containsPattern("tasks_scheduled_execution_seconds_count\\{[^}]*code_function=\"purgeExpired\""
                + "[^}]*outcome=\"SUCCESS\"");
    }
}
