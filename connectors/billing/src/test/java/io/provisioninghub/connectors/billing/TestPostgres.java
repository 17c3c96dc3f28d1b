package io.provisioninghub.connectors.billing;

import io.provisioninghub.connectors.postgres.EmbeddedPostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server for every test class of the module (they share a JVM), with a fresh database per
 * caller: tests that change billing data (PATCH) cannot disturb the others, and the server starts only once.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            try {
                // java.io.tmpdir is target/tmp (parent pom): nothing outside the module's build directory.
                Path dataDir = Files.createTempDirectory("billing-pg");
                server = EmbeddedPostgresServer.start(dataDir, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(dataDir), "billing-test-pg-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    /** A new, empty database on the shared server; returns its JDBC URL. */
    public static String newDatabase(String prefix) {
        try {
            return server().createDatabaseIfMissing(prefix + "_" + DATABASES.incrementAndGet());
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database", e);
        }
    }

    private static void stop(Path dataDir) {
        try {
            server.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            // The JVM is exiting; target/ is cleaned by the next `mvn clean` anyway.
        }
    }
}
