package io.provisioninghub.connectors.billing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * {@code hub.billing.*}: where billing is and how patiently the hub asks it (requirement INT-2).
 *
 * @param baseUrl         billing's TMF API root; the hub calls {@code <base-url>/tmf-api/productInventory/v4/product}.
 *                        http or https, without query
 * @param connectTimeout  longest wait for a TCP (and TLS) connection to billing
 * @param responseTimeout longest wait for billing's answer once the request is sent
 * @param orderResponseTimeout longest wait for billing's answer to a catalogue or ordering request (sign-up):
 *                        orders do more work in billing than a lookup, and a sign-up can wait a little longer
 * @param retries         further attempts after a transient failure (I/O error other than a timeout, HTTP 5xx)
 * @param retryDelay      pause before each further attempt
 * @param maxConnections  pooled connections to billing, kept alive between calls
 * @param circuitBreaker  when to stop calling billing for a while
 * @param username        user for HTTP basic authentication against a real billing system; none when unset
 * @param password        its password; kept out of {@link #toString()} and never logged
 */
@Validated
@ConfigurationProperties(prefix = "hub.billing")
public record BillingProperties(@DefaultValue("http://127.0.0.1:8090") @NotNull URI baseUrl,
                                @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration connectTimeout,
                                @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration responseTimeout,
                                @DefaultValue("5s") @NotNull @DurationMin(millis = 1) Duration orderResponseTimeout,
                                @DefaultValue("2") @Min(0) @Max(10) int retries,
                                @DefaultValue("100ms") @NotNull @DurationMin(millis = 0) Duration retryDelay,
                                @DefaultValue("200") @Min(1) int maxConnections,
                                @Valid @DefaultValue CircuitBreaker circuitBreaker,
                                String username,
                                String password) {

    /** Path of the TMF637 v4 product resource under {@link #baseUrl()}. */
    public static final String PRODUCT_INVENTORY_PATH = "/tmf-api/productInventory/v4/product";

    /**
     * A count-based Resilience4j circuit breaker around each lookup (retries included: one lookup, one outcome).
     *
     * @param failureRateThreshold failed lookups, in percent of the sliding window, that open the breaker
     * @param minimumCalls         lookups to see before the rate counts at all
     * @param slidingWindowSize    the last lookups the failure rate is computed over
     * @param waitInOpenState      how long an open breaker fails lookups at once before letting trial calls through
     */
    public record CircuitBreaker(@DefaultValue("50") @DecimalMin(value = "0", inclusive = false)
                                 @DecimalMax("100") float failureRateThreshold,
                                 @DefaultValue("10") @Min(1) int minimumCalls,
                                 @DefaultValue("100") @Min(1) int slidingWindowSize,
                                 @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration waitInOpenState) {
    }

    /** Path of the TMF620 v4 product offering resource (the plans) under {@link #tmfApiUrl()}. */
    public static final String PRODUCT_OFFERING_PATH = "productCatalogManagement/v4/productOffering";
    /** Path of the TMF622 v4 product order resource under {@link #tmfApiUrl()}. */
    public static final String PRODUCT_ORDER_PATH = "productOrdering/v4/productOrder";

    /** The absolute URL of the product inventory resource (no trailing slash, no query). */
    public String productInventoryUrl() {
        return root() + PRODUCT_INVENTORY_PATH;
    }

    /** {@code <base-url>/tmf-api}: the root of the catalogue and ordering resources (no trailing slash). */
    public String tmfApiUrl() {
        return root() + "/tmf-api";
    }

    private String root() {
        String root = baseUrl.toString();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        return root;
    }

    public boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    @AssertTrue(message = "base-url must be an absolute http or https URL without query or fragment")
    boolean isBaseUrlUsable() {
        return baseUrl == null
                || (("http".equalsIgnoreCase(baseUrl.getScheme()) || "https".equalsIgnoreCase(baseUrl.getScheme()))
                && baseUrl.getHost() != null && baseUrl.getRawQuery() == null && baseUrl.getRawFragment() == null);
    }

    @AssertTrue(message = "password is set without username")
    boolean isPasswordWithUsername() {
        return hasCredentials() || password == null || password.isEmpty();
    }

    // Records print every component; this one must never print the password (logs, actuator, failures).
    @Override
    public String toString() {
        return "BillingProperties[baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout
                + ", responseTimeout=" + responseTimeout + ", orderResponseTimeout=" + orderResponseTimeout
                + ", retries=" + retries + ", retryDelay=" + retryDelay
                + ", maxConnections=" + maxConnections + ", circuitBreaker=" + circuitBreaker
                + ", username=" + username
                + ", password=" + (password == null || password.isEmpty() ? "(none)" : "******") + "]";
    }
}
