package io.provisioninghub.connectors.postgres;

import java.nio.file.Path;

/** Starts the embedded PostgreSQL in a JVM of its own, says so, and waits to be killed (OrphanedPostmasterTest). */
public final class PostgresInChildJvm {

    private PostgresInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
