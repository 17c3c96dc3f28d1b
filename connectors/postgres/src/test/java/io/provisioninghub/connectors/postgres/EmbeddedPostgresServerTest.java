package io.provisioninghub.connectors.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresServerTest {

    @Test
    void keepsDataAcrossRestartsOfTheSameDataDirectory(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0)) {
            // Port 0: a port below the kernel's ephemeral range (32768 on Linux), which no client connection takes.
            assertThat(pg.port()).isBetween(LoopbackPorts.LOWEST, 32767);
            String url = pg.createDatabaseIfMissing("hub");
            try (Connection c = DriverManager.getConnection(url, pg.username(), "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('survives')");
            }
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0)) {
            String url = pg.createDatabaseIfMissing("hub");
            try (Connection c = DriverManager.getConnection(url, pg.username(), "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("survives");
            }
        }
    }
}
