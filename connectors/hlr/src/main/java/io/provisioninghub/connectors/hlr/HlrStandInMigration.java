package io.provisioninghub.connectors.hlr;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;


/**
 * Creates and fills the sandbox's stand-in HLR (OsmoHLR-shaped schema, hub extensions, fixtures, generated
 * subscribers) when {@code hub.hlr.stand-in.migrate=true}.
 * <p>
 * Flyway is used directly, not exposed as a {@code Flyway} bean: Spring Boot's own Flyway auto-configuration
 * backs off when any {@code Flyway} bean exists, and it belongs to the application's database.
 */
final class HlrStandInMigration implements InitializingBean {

    static final String LOCATION = "classpath:db/hlr-standin";
    /** Its own history table, so the stand-in can even share a database with the hub's Flyway history. */
    static final String HISTORY_TABLE = "hlr_standin_schema_history";

    private static final Logger LOG = LoggerFactory.getLogger(HlrStandInMigration.class);

    private final HlrProperties.Datasource database;

    /**
     * Migrates over its own connection, not the lookup pool: the pool's socket timeout (seconds, so that a
     * hanging HLR cannot hold a device request) is far shorter than seeding 100,000 subscribers on a busy machine.
     */
    HlrStandInMigration(HlrProperties.Datasource database) {
        this.database = database;
    }

    @Override
    public void afterPropertiesSet() {
        // No baselineOnMigrate: pointed by mistake at a real, non-empty HLR, Flyway refuses to touch it.
        MigrateResult result = Flyway.configure()
                .dataSource(database.url(), database.username(), database.password())
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .load()
                .migrate();
        LOG.info("HLR stand-in schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
    }
}
