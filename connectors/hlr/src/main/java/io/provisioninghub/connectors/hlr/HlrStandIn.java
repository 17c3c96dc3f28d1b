package io.provisioninghub.connectors.hlr;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's stand-in HLR: creates and fills it (OsmoHLR-shaped schema, hub extensions, fixtures, 100,000
 * generated subscribers) in a database of its own. Callable before the application context exists, so the
 * sandbox can seed it in parallel with its other stand-ins; {@code hub.hlr.stand-in.migrate=true} does the same
 * from the context (a no-op when already done).
 */
public final class HlrStandIn {

    static final String LOCATION = "classpath:db/hlr-standin";
    /** Its own history table, so the stand-in can even share a database with the hub's Flyway history. */
    static final String HISTORY_TABLE = "hlr_standin_schema_history";

    private static final Logger LOG = LoggerFactory.getLogger(HlrStandIn.class);

    private HlrStandIn() {
    }

    /** Migrates over its own connection (no pool socket timeout: seeding takes seconds on a busy machine). */
    public static void migrate(String url, String username, String password) {
        // No baselineOnMigrate: pointed by mistake at a real, non-empty HLR, Flyway refuses to touch it.
        MigrateResult result = Flyway.configure()
                .dataSource(url, username, password)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .load()
                .migrate();
        LOG.info("HLR stand-in schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
    }
}
