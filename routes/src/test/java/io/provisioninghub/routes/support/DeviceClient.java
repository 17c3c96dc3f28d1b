package io.provisioninghub.routes.support;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Acts as a device (and as the operator's gateway in front of it) against a running hub: plain-HTTP first
 * request with enrichment headers, HTTPS second request with Table 1 parameters and the cookie (RCC.14 §2.2).
 * TLS is verified against the sandbox's development certificate only.
 */
public final class DeviceClient {

    private final HubInstance hub;
    private final HttpClient http;
    private final SSLContext tls;

    DeviceClient(HubInstance hub) {
        this.hub = hub;
        this.tls = hub.sslContext();
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The first request over plain HTTP, enriched by the gateway (loopback is a trusted proxy in the sandbox). */
    public HttpResponse<String> firstRequest(String msisdn, String imsi) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (msisdn != null) {
            headers.put("X-MSISDN", msisdn);
        }
        if (imsi != null) {
            headers.put("X-IMSI", imsi);
        }
        return get("http://localhost:" + hub.httpPort() + "/", headers);
    }

    /** The second request over HTTPS with a raw query string and the cookie. */
    public HttpResponse<String> secureRequest(String rawQuery, String cookie, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (cookie != null) {
            all.put("Cookie", cookie);
        }
        return get("https://localhost:" + hub.httpsPort() + "/" + (rawQuery == null ? "" : "?" + rawQuery), all);
    }

    /** An HTTPS POST of a form body (the OTP kept out of the query string, Tables 10/13/14). */
    public HttpResponse<String> securePost(String rawQuery, String cookie, String formBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + hub.httpsPort() + "/"
                        + (rawQuery == null ? "" : "?" + rawQuery)))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    /**
     * A Table 9 query (RCC.14 §2.3.2): Table 1's mandatory parameters, the identity, the token (empty when the
     * client has none) and, unless null, SMS_port. {@code msisdn} is sent with its '+' percent-encoded.
     */
    public static String table9(String imsi, String msisdn, String token, Integer smsPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vers", "0");
        if (imsi != null) {
            p.put("IMSI", imsi);
        }
        if (msisdn != null) {
            p.put("msisdn", msisdn);
        }
        p.put("provisioning_version", "2.0");
        p.put("terminal_vendor", "ACME");
        p.put("terminal_model", "Phone-1");
        p.put("terminal_sw_version", "1.0.3");
        p.put("token", token);
        if (smsPort != null) {
            p.put("SMS_port", smsPort.toString());
        }
        return query(p);
    }

    /** A Table 12 query (§2.5.1), or Table 14 (§2.6) when {@code otp} is not null. */
    public static String additionalDevice(String msisdn, String sipUri, String token, String deviceType,
                                          String friendlyName, String otp) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vers", "0");
        if (msisdn != null) {
            p.put("msisdn", msisdn);
        }
        if (sipUri != null) {
            p.put("sip_uri", sipUri);
        }
        p.put("provisioning_version", "2.0");
        p.put("token", token);
        p.put("device_type", deviceType);
        if (friendlyName != null) {
            p.put("friendly_device_name", friendlyName);
        }
        if (otp != null) {
            p.put("OTP", otp);
        }
        return query(p);
    }

    public HttpResponse<String> get(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An HTTPS GET whose request line is sent byte for byte as given, for query strings that a well-behaved
     * HTTP client refuses to send (malformed percent-encoding, raw control characters).
     *
     * @return the status code of the response
     */
    public int rawSecureGet(String rawQuery, String cookie) {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket("localhost", hub.httpsPort())) {
            socket.setSoTimeout(20000);
            String request = "GET /?" + rawQuery + " HTTP/1.1\r\nHost: localhost\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (response.contains("Exception") || response.contains("\tat ")) {
                throw new AssertionError("response shows internals: " + response);
            }
            return Integer.parseInt(response.substring(9, 12));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Both requests of §2.2: returns the HTTPS response. */
    public HttpResponse<String> configure(String msisdn, String imsi, String query) {
        return configure(msisdn, imsi, query, Map.of());
    }

    public HttpResponse<String> configure(String msisdn, String imsi, String query, Map<String, String> headers) {
        HttpResponse<String> first = firstRequest(msisdn, imsi);
        if (first.statusCode() != 200) {
            throw new AssertionError("first request answered " + first.statusCode());
        }
        return secureRequest(query, cookieOf(first).orElseThrow(), headers);
    }

    /** "name=value" of the response's Set-Cookie, ready for a Cookie header. */
    public static Optional<String> cookieOf(HttpResponse<?> response) {
        return response.headers().firstValue("Set-Cookie").map(v -> v.split(";", 2)[0]);
    }

    /** A Table 1 query string with the spec's mandatory parameters (RCC.14 §2.2.1). */
    public static String table1(long vers, String imsi) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vers", Long.toString(vers));
        if (imsi != null) {
            p.put("IMSI", imsi);
        }
        p.put("provisioning_version", "2.0");
        p.put("terminal_vendor", "ACME");
        p.put("terminal_model", "Phone-1");
        p.put("terminal_sw_version", "1.0.3");
        return query(p);
    }

    public static String query(Map<String, String> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return q.toString();
    }
}
