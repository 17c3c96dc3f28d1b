package io.provisioninghub.routes.web;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The hub's own database ({@code spring.datasource.*}, Flyway-managed). Declared explicitly because the HLR
 * connector brings a second DataSource ({@code hlrDataSource}, a separate database): this one is the primary,
 * used by Flyway, JdbcTemplate and transactions.
 */
@Configuration(proxyBeanMethods = false)
class HubDatabaseConfiguration {

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }
}
