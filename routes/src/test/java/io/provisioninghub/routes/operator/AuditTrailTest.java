package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail is tamper-evident (OPS-6, docs/security.md#audit-trail): the application cannot update a row, and an
 * edited, deleted or re-ordered row is found by {@code GET /operator/v1/audit/verify}. Each tamper is undone before the
 * test ends, so the shared hub's chain is whole again for every other test.
 */
class AuditTrailTest extends SharedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test // OPS-6: a row edited in the database (trigger dropped) breaks the chain at that row; undone, it verifies
    void anEditedRowIsFoundByVerify() throws IOException {
        OperatorClient care = hub.operator("care");
        OperatorClient security = hub.operator("security");
        Subscribers subscriber = Subscribers.generated(90_101);
        for (int i = 0; i < 3; i++) {
            care.get("/operator/v1/subscribers/" + subscriber.imsi() + "/configuration");
        }
        assertThat(verify(security).path("valid").asBoolean()).isTrue();

        JdbcTemplate db = hub.hubDatabase();
        long id = db.queryForObject("SELECT max(id) - 1 FROM audit_event", Long.class);
        assertThatThrownBy(() -> db.update("UPDATE audit_event SET subject = 'someone-else' WHERE id = ?", id))
                .hasMessageContaining("append-only");

        String subject = db.queryForObject("SELECT subject FROM audit_event WHERE id = ?", String.class, id);
        db.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update");
        try {
            db.update("UPDATE audit_event SET subject = 'someone-else' WHERE id = ?", id);
            JsonNode broken = verify(security);
            assertThat(broken.path("valid").asBoolean()).isFalse();
            assertThat(broken.path("brokenAt").asLong()).isEqualTo(id);
            assertThat(broken.path("reason").asText()).contains("seal");
            db.update("UPDATE audit_event SET subject = ? WHERE id = ?", subject, id);
        } finally {
            db.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update");
        }
        assertThat(verify(security).path("valid").asBoolean()).isTrue();
    }

    @Test // OPS-6: a deleted row shows as missing; put back as it was, the chain verifies again
    void aDeletedRowIsFoundByVerify() throws IOException {
        OperatorClient care = hub.operator("care");
        OperatorClient security = hub.operator("security");
        Subscribers subscriber = Subscribers.generated(90_102);
        for (int i = 0; i < 3; i++) {
            care.get("/operator/v1/subscribers/" + subscriber.imsi() + "/configuration");
        }
        JdbcTemplate db = hub.hubDatabase();
        long id = db.queryForObject("SELECT max(id) - 1 FROM audit_event", Long.class);
        db.execute("CREATE TEMP TABLE IF NOT EXISTS audit_removed AS SELECT * FROM audit_event WITH NO DATA");
        db.update("DELETE FROM audit_removed");
        db.update("INSERT INTO audit_removed SELECT * FROM audit_event WHERE id = ?", id);
        try {
            db.update("DELETE FROM audit_event WHERE id = ?", id);
            JsonNode broken = verify(security);
            assertThat(broken.path("valid").asBoolean()).isFalse();
            assertThat(broken.path("brokenAt").asLong()).isEqualTo(id);
            assertThat(broken.path("reason").asText()).contains("missing");
        } finally {
            db.update("INSERT INTO audit_event SELECT * FROM audit_removed WHERE id = ?", id);
        }
        JsonNode whole = verify(security);
        assertThat(whole.path("valid").asBoolean()).isTrue();
        assertThat(whole.path("checked").asLong()).isGreaterThanOrEqualTo(3);
    }

    private static JsonNode verify(OperatorClient client) throws IOException {
        var response = client.get("/operator/v1/audit/verify");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
