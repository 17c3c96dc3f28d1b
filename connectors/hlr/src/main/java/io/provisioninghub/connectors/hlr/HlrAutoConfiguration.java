package io.provisioninghub.connectors.hlr;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The HLR connector (INT-1): a connection pool to the HLR database, the Camel lookup routes, the
 * {@link HlrClient} that the flows call, and, in the sandbox only, the stand-in HLR's schema and data.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@EnableConfigurationProperties(HlrProperties.class)
public class HlrAutoConfiguration {

    /** Bean name of the HLR's pool; the routes refer to it as {@code dataSource=#hlrDataSource}. */
    public static final String DATA_SOURCE = "hlrDataSource";

    private static final Duration MAX_VALIDATION_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MIN_HIKARI_TIMEOUT = Duration.ofMillis(250);

    /**
     * Not a default candidate: the application has its own database, and this pool must neither become
     * "the" DataSource for injection nor make Spring Boot's DataSource auto-configuration back off.
     * Inject it only by name ({@code @Qualifier("hlrDataSource")}).
     */
    @Bean(name = DATA_SOURCE, defaultCandidate = false)
    HikariDataSource hlrDataSource(HlrProperties properties) {
        HlrProperties.Datasource config = properties.datasource();
        // The no-argument constructor starts the pool on first use, and initializationFailTimeout=-1 keeps that
        // first use from failing the pool for good: the hub starts while the HLR is down, and each lookup
        // fails within connectionTimeout until it is back.
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("hlr");
        pool.setJdbcUrl(config.url());
        pool.setUsername(config.username());
        pool.setPassword(config.password());
        pool.setMaximumPoolSize(config.maximumPoolSize());
        pool.setConnectionTimeout(config.connectionTimeout().toMillis());
        // The liveness check of an idle connection must fit well inside the wait for a connection.
        Duration validation = config.connectionTimeout().dividedBy(2);
        validation = validation.compareTo(MAX_VALIDATION_TIMEOUT) > 0 ? MAX_VALIDATION_TIMEOUT : validation;
        validation = validation.compareTo(MIN_HIKARI_TIMEOUT) < 0 ? MIN_HIKARI_TIMEOUT : validation;
        pool.setValidationTimeout(validation.toMillis());
        pool.setInitializationFailTimeout(-1);
        if (config.url().startsWith("jdbc:postgresql:")) {
            // Keeps row values (e.g. "Key (imsi)=(...)") out of PostgreSQL exception messages, which end up in
            // logs as the cause of an HlrUnavailableException.
            pool.addDataSourceProperty("logServerErrorDetail", "false");
            // A HLR that accepts connections but stops answering must not hold device requests for ever.
            long socketTimeoutSeconds = (config.socketTimeout().toMillis() + 999) / 1000;
            pool.addDataSourceProperty("socketTimeout", Long.toString(socketTimeoutSeconds));
            pool.addDataSourceProperty("ApplicationName", "provisioning-hub");
        }
        return pool;
    }

    @Bean
    @ConditionalOnProperty(prefix = "hub.hlr.stand-in", name = "migrate", havingValue = "true")
    HlrStandInMigration hlrStandInMigration(HlrProperties properties) {
        return new HlrStandInMigration(properties.datasource());
    }

    @Bean
    HlrRoutes hlrRoutes() {
        return new HlrRoutes();
    }

    /** Bulk lookups by IMSI (the rotation intake's batches): one SELECT per batch on the same pool. */
    @Bean
    @ConditionalOnMissingBean
    HlrBatchLookup hlrBatchLookup(@Qualifier(DATA_SOURCE) HikariDataSource hlrDataSource,
                                  ObjectProvider<HlrStandInMigration> standInMigration) {
        standInMigration.ifAvailable(migration -> { });
        return new HlrBatchLookup(hlrDataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    HlrClient hlrClient(ProducerTemplate producerTemplate, ObjectProvider<HlrStandInMigration> standInMigration) {
        // In the sandbox the stand-in must be migrated before anyone can look a subscriber up: asking the
        // provider creates (and so runs) the migration first. Without the property there is nothing to wait for.
        standInMigration.ifAvailable(migration -> { });
        return new CamelHlrClient(producerTemplate);
    }

    /** Campaign selections (ROT-3): IMSIs by range, TAC or credential age, read in keyset pages. */
    @Bean
    @ConditionalOnMissingBean
    HlrSelections hlrSelections(@Qualifier(DATA_SOURCE) DataSource hlrDataSource,
                                ObjectProvider<HlrStandInMigration> standInMigration) {
        standInMigration.ifAvailable(migration -> { });
        return new JdbcHlrSelections(hlrDataSource);
    }

    /** New subscriptions (INT-1 pools, SIGNUP-2/3/4): numbers from the pools, credentials, release, revocation. */
    @Bean
    @ConditionalOnMissingBean
    HlrProvisioning hlrProvisioning(@Qualifier(DATA_SOURCE) DataSource hlrDataSource, HlrProperties properties,
                                    ObjectProvider<HlrStandInMigration> standInMigration) {
        standInMigration.ifAvailable(migration -> { });
        return new JdbcHlrProvisioning(hlrDataSource, properties.pools().quarantine());
    }
}
