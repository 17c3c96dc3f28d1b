package io.provisioninghub.routes;

import io.provisioninghub.connectors.deviceidentity.Imei;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.SmscInbox;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.provisioninghub.routes.support.DeviceClient.cookieOf;
import static io.provisioninghub.routes.support.DeviceClient.table1;
import static io.provisioninghub.routes.support.DeviceClient.table9;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics contract (issue 14, OPS-3, docs/observability.md): after every flow has run once — a cellular
 * configuration, an OTP over Wi-Fi with a wrong try, a rotation event and a malformed one, a campaign, a bulk binding —
 * each metric family of the table in docs/observability.md is on the management port's /actuator/prometheus, and no
 * label value anywhere holds an IMSI, MSISDN, IMEI, token or OTP this test used.
 */
class MetricsContractTest extends SharedHubTest {

    private static final Path TABLE = Path.of("..", "docs", "observability.md");
    private static final Pattern FAMILY = Pattern.compile("^\\| `([a-z_:][a-z0-9_:]*)` \\|", Pattern.MULTILINE);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** A run of digits as long as the shortest subscriber identifier (an MSISDN of 6 digits). */
    private static final Pattern DIGITS = Pattern.compile("[0-9]{6,}");

    @Test // issue 14: every family of the table is exported, and no label value holds a subscriber identifier or secret
    void everyFamilyOfTheTableIsExportedWithoutIdentifiers() throws Exception {
        Set<String> secrets = runEveryFlow();

        Set<String> families = tableFamilies();
        assertThat(families).hasSizeGreaterThanOrEqualTo(15);
        String scrape = awaitFamilies(families, Duration.ofSeconds(60));
        // Kept for whoever reads a failure: what the hub exported.
        Files.writeString(Path.of("target", "metrics-contract-scrape.txt"), scrape);
        Set<String> exported = exportedNames(scrape);
        for (String family : families) {
            assertThat(exported).as("family %s of docs/observability.md on /actuator/prometheus", family)
                    .anySatisfy(name -> assertThat(name).isIn(family, family + "_total", family + "_count",
                            family + "_seconds_count", family + "_max"));
        }
        List<String> offending = new ArrayList<>();
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            if (sample.group(3) == null) {
                continue;
            }
            Matcher label = LABEL.matcher(sample.group(3));
            while (label.find()) {
                String value = label.group(2);
                boolean secret = secrets.stream().anyMatch(s -> value.contains(s) || value.contains(s.replace("+", "")));
                // The data directory's path (disk_*) may hold digits; no other label value may.
                boolean identifier = DIGITS.matcher(value).find() && !sample.group(1).startsWith("disk_");
                if (secret || identifier) {
                    offending.add(sample.group(1) + " " + label.group(1) + "=" + value);
                }
            }
        }
        assertThat(offending).as("label values holding identifiers or secrets").isEmpty();
    }

    /** Runs each flow once; returns the identifiers and secrets it used, which no label may hold. */
    private static Set<String> runEveryFlow() throws Exception {
        Set<String> used = new LinkedHashSet<>();
        // Cellular configuration (§2.2).
        Subscribers cellular = Subscribers.generated(96_001);
        assertThat(device.configure(cellular.msisdn(), cellular.imsi(), table1(0, null)).statusCode()).isEqualTo(200);
        used.add(cellular.imsi());
        used.add(cellular.msisdn());

        // Wi-Fi with an OTP (§2.3): an SMS, a wrong try, the right OTP and a token.
        Subscribers wifi = Subscribers.generated(96_002);
        HttpResponse<String> otpRequest = device.secureRequest(table9(null, wifi.msisdn(), "", 0), null, Map.of());
        assertThat(otpRequest.statusCode()).isEqualTo(200);
        String cookie = cookieOf(otpRequest).orElseThrow();
        String otp = SmscInbox.otpIn(hub.smsc().awaitSubmit(wifi.msisdn(), 1, Duration.ofSeconds(30)).text());
        String wrong = otp.equals("000000") ? "111111" : "000000";
        assertThat(device.securePost(null, cookie, "OTP=" + wrong).statusCode()).isEqualTo(511);
        HttpResponse<String> configured = device.securePost(null, cookie, "OTP=" + otp);
        assertThat(configured.statusCode()).isEqualTo(200);
        used.add(wifi.imsi());
        used.add(wifi.msisdn());
        used.add(otp);
        used.add(cookie.substring(cookie.indexOf('=') + 1));
        String token = configured.body().replaceAll("(?s).*name=\"token\" value=\"([^\"]+)\".*", "$1");
        used.add(token);

        // Rotation events from Kafka: one valid, one malformed (dead-lettered).
        Subscribers rotated = Subscribers.generated(96_003);
        try (KafkaTopics kafka = new KafkaTopics(hub)) {
            kafka.send("hub.rotation.requests", rotated.imsi(),
                    KafkaTopics.rotationRequested(UUID.randomUUID().toString(), rotated.imsi(), "compromised"));
            kafka.send("hub.rotation.requests", "bad", "{\"not\":\"a cloud event\"}");
        }
        used.add(rotated.imsi());

        // A campaign over one subscriber, and a bulk binding of one device.
        Subscribers target = Subscribers.generated(96_004);
        assertThat(operatorAs("security").postJson("/operator/v1/campaigns", "{\"kind\":\"reconfiguration\","
                + "\"smsRatePerSecond\":5,\"selection\":{\"imsis\":[\"" + target.imsi() + "\"]}}").statusCode())
                .isEqualTo(201);
        used.add(target.imsi());
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String imei = Imei.withCheckDigit("359999" + String.format("%08d", System.nanoTime() % 100_000_000L));
        String csv = "reference,imei,publicKey,plan,customer\nmetrics/1," + imei + ","
                + Base64.getEncoder().encodeToString(ec.generateKeyPair().getPublic().getEncoded())
                + ",band-messaging,Metrics Test\n";
        assertThat(operatorAs("security").post("/operator/v1/device-bindings", "text/csv", csv).statusCode())
                .isEqualTo(200);
        used.add(imei);
        return used;
    }

    private static String awaitFamilies(Set<String> families, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String scrape;
        do {
            scrape = scrape();
            Set<String> exported = exportedNames(scrape);
            if (families.stream().allMatch(f -> exported.contains(f) || exported.contains(f + "_total"))) {
                return scrape;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return scrape;
    }

    private static String scrape() {
        HttpResponse<String> metrics = device.get("http://127.0.0.1:" + hub.managementPort() + "/actuator/prometheus",
                Map.of());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    private static Set<String> exportedNames(String scrape) {
        Set<String> names = new LinkedHashSet<>();
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            names.add(sample.group(1));
        }
        return names;
    }

    /** The first column of the table under "## Hub metric families". */
    static Set<String> tableFamilies() throws IOException {
        String doc = Files.readString(TABLE);
        int start = doc.indexOf("## Hub metric families");
        int end = doc.indexOf("\n## ", start + 1);
        Matcher family = FAMILY.matcher(doc.substring(start, end < 0 ? doc.length() : end));
        Set<String> families = new LinkedHashSet<>();
        while (family.find()) {
            families.add(family.group(1).replaceAll("_total$", ""));
        }
        return families;
    }
}
