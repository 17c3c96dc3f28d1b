package io.provisioninghub.connectors.hlr;

import com.zaxxer.hikari.HikariDataSource;
import io.provisioninghub.connectors.postgres.EmbeddedPostgresServer;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import javax.sql.DataSource;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The auto-configuration's contract: properties, the pool, when the stand-in is migrated, failure modes. */
@ExtendWith(OutputCaptureExtension.class)
class HlrAutoConfigurationTest {

    private static final String IMSI = "001010000000001";

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class, HlrAutoConfiguration.class));

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    // INT-1, OPS-1: the defaults of every hub.hlr property, and the pool they make
    @Test
    void defaults() {
        runner.withPropertyValues("hub.hlr.datasource.url=jdbc:postgresql://127.0.0.1:1/hlr").run(context -> {
            HlrProperties properties = context.getBean(HlrProperties.class);
            assertThat(properties.datasource().maximumPoolSize()).isEqualTo(20);
            assertThat(properties.datasource().connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(properties.datasource().socketTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.standIn().migrate()).isFalse();
            assertThat(properties.pools().quarantine()).isEqualTo(Duration.ofDays(90));
            assertThat(context).hasSingleBean(HlrProvisioning.class);

            HikariDataSource pool = context.getBean(HlrAutoConfiguration.DATA_SOURCE, HikariDataSource.class);
            assertThat(pool.getPoolName()).isEqualTo("hlr");
            assertThat(pool.getMaximumPoolSize()).isEqualTo(20);
            assertThat(pool.getConnectionTimeout()).isEqualTo(2_000);
            assertThat(pool.getValidationTimeout()).isLessThan(pool.getConnectionTimeout());
            assertThat(pool.getDataSourceProperties()).containsEntry("socketTimeout", "5")
                    .containsEntry("logServerErrorDetail", "false");

            assertThat(context).doesNotHaveBean(HlrStandInMigration.class);
            assertThat(context).hasSingleBean(HlrClient.class);
            CamelContext camel = context.getBean(CamelContext.class);
            assertThat(camel.getRoute("hlr-find-by-imsi")).isNotNull();
            assertThat(camel.getRoute("hlr-find-by-msisdn")).isNotNull();
        });
    }

    // OPS-3: the HLR password never shows in toString (so neither in logs nor in failure reports)
    @Test
    void passwordIsMasked() {
        runner.withPropertyValues("hub.hlr.datasource.url=jdbc:postgresql://127.0.0.1:1/hlr",
                        "hub.hlr.datasource.username=hub", "hub.hlr.datasource.password=s3cr3t-hlr-pw")
                .run(context -> {
                    HlrProperties properties = context.getBean(HlrProperties.class);
                    assertThat(properties.datasource().password()).isEqualTo("s3cr3t-hlr-pw");
                    assertThat(properties.toString()).doesNotContain("s3cr3t-hlr-pw").contains("password=******");
                    assertThat(context.getBean(HlrAutoConfiguration.DATA_SOURCE).toString())
                            .doesNotContain("s3cr3t-hlr-pw");
                });
    }

    // INT-1, OPS-1: without an HLR URL the hub stops at start-up and says which property is missing
    @Test
    void missingUrlFailsStartupNamingTheProperty() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("hub.hlr.datasource.url");
        });
    }

    // INT-1: the HLR pool is no default candidate: the application's own DataSource is still auto-configured
    // and stays the one injected by type
    @Test
    void hlrPoolIsNotTheApplicationDataSource() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("hub.hlr.datasource.url=jdbc:postgresql://127.0.0.1:1/hlr",
                        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/hub")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource primary = context.getBean(DataSource.class);
                    assertThat(primary).isNotSameAs(context.getBean(HlrAutoConfiguration.DATA_SOURCE));
                    assertThat(((HikariDataSource) primary).getJdbcUrl()).endsWith("/hub");
                });
    }

    // INT-1: a real HLR is never migrated: without hub.hlr.stand-in.migrate=true the database stays untouched,
    // and a lookup against a database without the HLR schema is "HLR unavailable", not a crash
    @Test
    void standInIsNotMigratedWithoutTheFlag() throws Exception {
        String url = postgres.createDatabaseIfMissing("hlr_not_migrated");
        runner.withPropertyValues("hub.hlr.datasource.url=" + url,
                        "hub.hlr.datasource.username=" + postgres.username(),
                        "hub.hlr.stand-in.migrate=false")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(HlrStandInMigration.class);
                    assertThat(tablesIn(url)).isZero();
                    HlrClient hlr = context.getBean(HlrClient.class);
                    assertThatThrownBy(() -> hlr.findByImsi(IMSI))
                            .isInstanceOf(HlrUnavailableException.class)
                            .hasMessageNotContaining(IMSI);
                });
    }

    // INT-1: with the flag, the stand-in is migrated before the client can be used
    @Test
    void standInIsMigratedWithTheFlag() throws Exception {
        String url = postgres.createDatabaseIfMissing("hlr_migrated");
        runner.withPropertyValues("hub.hlr.datasource.url=" + url,
                        "hub.hlr.datasource.username=" + postgres.username(),
                        "hub.hlr.stand-in.migrate=true")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(HlrStandInMigration.class);
                    assertThat(tablesIn(url)).isGreaterThanOrEqualTo(8);
                    assertThat(context.getBean(HlrClient.class).findByImsi(IMSI)).isPresent();
                });
    }

    // INT-1, CFG-7: an unreachable HLR does not stop the hub from starting, and each lookup fails fast with
    // HlrUnavailableException (the device gets 503 + Retry-After); no identifier in the message or the log
    @Test
    void unreachableHlrFailsFast(CapturedOutput output) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        runner.withPropertyValues("hub.hlr.datasource.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/hlr",
                        "hub.hlr.datasource.username=postgres")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HlrClient hlr = context.getBean(HlrClient.class);

                    long start = System.nanoTime();
                    assertThatThrownBy(() -> hlr.findByImsi(IMSI))
                            .isInstanceOf(HlrUnavailableException.class)
                            .hasMessageNotContaining(IMSI)
                            .hasCauseInstanceOf(Exception.class);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

                    start = System.nanoTime();
                    assertThatThrownBy(() -> hlr.findByMsisdn("+15550000001"))
                            .isInstanceOf(HlrUnavailableException.class)
                            .hasMessageNotContaining("15550000001");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                });
        assertThat(output.getAll()).doesNotContain(IMSI, "15550000001");
    }

    private static int tablesIn(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, postgres.username(), "");
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
