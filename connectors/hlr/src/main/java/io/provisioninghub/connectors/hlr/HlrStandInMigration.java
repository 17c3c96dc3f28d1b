package io.provisioninghub.connectors.hlr;

import org.springframework.beans.factory.InitializingBean;


/**
 * Creates and fills the sandbox's stand-in HLR (OsmoHLR-shaped schema, hub extensions, fixtures, generated
 * subscribers) when {@code hub.hlr.stand-in.migrate=true}.
 * <p>
 * Flyway is used directly, not exposed as a {@code Flyway} bean: Spring Boot's own Flyway auto-configuration
 * backs off when any {@code Flyway} bean exists, and it belongs to the application's database.
 */
final class HlrStandInMigration implements InitializingBean {

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
        HlrStandIn.migrate(database.url(), database.username(), database.password());
    }
}
