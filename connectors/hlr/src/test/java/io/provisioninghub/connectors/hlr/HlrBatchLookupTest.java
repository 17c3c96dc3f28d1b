package io.provisioninghub.connectors.hlr;

import io.provisioninghub.connectors.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk lookup by IMSI (INT-1; the rotation intake's batches) against a real PostgreSQL holding the migrated
 * stand-in HLR: each subscriber it finds is exactly what the single lookup of {@link HlrClient} finds.
 */
class HlrBatchLookupTest {

    private static final String ACTIVE = "001010000000001";
    private static final String BARRED = "001010000000002";
    private static final String OPTED_OUT = "001010000000004";
    private static final String UNKNOWN = "001019999999999";

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static ConfigurableApplicationContext app;
    static HlrClient single;
    static HlrBatchLookup batch;

    @BeforeAll
    static void startHlrAndApplication() throws Exception {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0);
        String hlrUrl = postgres.createDatabaseIfMissing("hlr");
        String hubUrl = postgres.createDatabaseIfMissing("hub");
        app = new SpringApplicationBuilder(HlrTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "hub.hlr.datasource.url=" + hlrUrl,
                        "hub.hlr.datasource.username=" + postgres.username(),
                        "hub.hlr.stand-in.migrate=true",
                        "spring.datasource.url=" + hubUrl,
                        "spring.datasource.username=" + postgres.username(),
                        "spring.flyway.enabled=false")
                .run();
        single = app.getBean(HlrClient.class);
        batch = app.getBean(HlrBatchLookup.class);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test // INT-1: fixtures with barring and opt-out sets read as the single lookup reads them; unknown and malformed absent
    void findsWhatTheSingleLookupFinds() {
        Map<String, HlrSubscriber> found = batch.findByImsis(Arrays.asList(ACTIVE, BARRED, OPTED_OUT, UNKNOWN, "12345",
                "00101000000000x", null, ACTIVE));

        assertThat(found).containsOnlyKeys(ACTIVE, BARRED, OPTED_OUT);
        for (String imsi : List.of(ACTIVE, BARRED, OPTED_OUT)) {
            assertThat(found.get(imsi)).isEqualTo(single.findByImsi(imsi).orElseThrow());
        }
        assertThat(found.get(BARRED).barredServices()).isNotEmpty();
        assertThat(found.get(OPTED_OUT).optedOutServices()).isNotEmpty();
    }

    @Test // INT-1: more IMSIs than one statement takes (chunked), every generated subscriber found once
    void findsManyAcrossStatements() {
        List<String> imsis = new ArrayList<>();
        for (int n = 1; n <= HlrBatchLookup.MAX_PER_STATEMENT + 1_000; n++) {
            imsis.add("00101" + String.format("%010d", 1_000_000_000L + n));
        }

        Map<String, HlrSubscriber> found = batch.findByImsis(imsis);

        assertThat(found).hasSize(imsis.size());
        String last = imsis.get(imsis.size() - 1);
        assertThat(found.get(last)).isEqualTo(single.findByImsi(last).orElseThrow());
        assertThat(batch.findByImsis(List.of())).isEmpty();
    }
}
