package io.provisioninghub.routes;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No subscriber identifier appears in the clear in any log, the HTTP access log included, and neither do
 * cookies or tokens (issue 2, OPS-3, OTP-7) — with the hub's own loggers at DEBUG.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogRedactionTest {

    @Test
    void identifiersCookiesAndTokensStayOutOfLogs(CapturedOutput output) throws IOException {
        HubInstance hub = HubInstance.shared();
        LoggingSystem logging = hub.context().getBean(LoggingSystem.class);
        logging.setLogLevel("io.provisioninghub", LogLevel.DEBUG);
        try {
            DeviceClient device = hub.device();
            List<String> secrets = new ArrayList<>();
            String[][] subscribers = {{"+15550000001", "001010000000001"}, {"+15550000002", "001010000000002"},
                    {"+15550000003", "001010000000003"}, {"+15550000004", "001010000000004"},
                    {"+15550000005", "001010000000005"}, {null, "001019999999999"}};
            for (String[] s : subscribers) {
                HttpResponse<String> first = device.firstRequest(s[0], s[1]);
                String cookie = DeviceClient.cookieOf(first).orElseThrow();
                secrets.add(cookie.substring(cookie.indexOf('=') + 1));
                HttpResponse<String> second = device.secureRequest(
                        table1(0, s[1]) + "&IMEI=353456789012341&friendly_device_name=Phone", cookie, Map.of());
                int token = second.body().indexOf("name=\"token\" value=\"");
                if (token >= 0) {
                    secrets.add(second.body().substring(token + 20, second.body().indexOf('"', token + 20)));
                }
            }
            String logs = output.getAll() + accessLogs(hub);
            assertThat(logs).contains("GET / HTTP/1.1"); // the access log is there and was read
            for (String[] s : subscribers) {
                if (s[0] != null) {
                    assertThat(logs).doesNotContain(s[0]).doesNotContain(s[0].substring(1));
                }
                assertThat(logs).doesNotContain(s[1]);
            }
            assertThat(logs).doesNotContain("353456789012341");
            assertThat(secrets).hasSizeGreaterThan(6);
            for (String secret : secrets) {
                assertThat(logs).doesNotContain(secret);
            }
        } finally {
            logging.setLogLevel("io.provisioninghub", null);
        }
    }

    private static String accessLogs(HubInstance hub) throws IOException {
        Path dir = hub.dataDirectory().resolve("tomcat/logs");
        assertThat(dir).isDirectory();
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }
}
