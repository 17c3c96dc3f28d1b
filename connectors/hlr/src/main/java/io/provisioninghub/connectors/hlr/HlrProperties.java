package io.provisioninghub.connectors.hlr;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code hub.hlr.*}: where the HLR database is, and whether the hub owns its schema (sandbox only).
 *
 * @param datasource the HLR's JDBC connection pool
 * @param standIn    the sandbox's stand-in HLR
 * @param pools      the IMSI and MSISDN pools new subscriptions take their numbers from (INT-1)
 */
@Validated
@ConfigurationProperties(prefix = "hub.hlr")
public record HlrProperties(@Valid @DefaultValue Datasource datasource,
                            @Valid @DefaultValue StandIn standIn,
                            @Valid @DefaultValue Pools pools) {

    /**
     * @param url               JDBC URL of the HLR database; required
     * @param username          database user
     * @param password          database password; kept out of {@link #toString()}
     * @param maximumPoolSize   connections kept open to the HLR; every device request holds one for one query
     * @param connectionTimeout longest wait for a pooled connection; short, so an unreachable HLR turns into
     *                          a 503 for the device quickly instead of piling up request threads
     * @param socketTimeout     longest wait for the HLR to answer on an open connection (PostgreSQL URLs only);
     *                          {@code 0s} waits for ever
     */
    public record Datasource(@NotBlank String url,
                             String username,
                             String password,
                             @DefaultValue("20") @Min(1) int maximumPoolSize,
                             @DefaultValue("2s") @NotNull @DurationMin(millis = 250) Duration connectionTimeout,
                             @DefaultValue("5s") @NotNull @DurationMin(millis = 0) Duration socketTimeout) {

        // Records print every component; this one must never print the password (logs, actuator, failures).
        @Override
        public String toString() {
            return "Datasource[url=" + url + ", username=" + username
                    + ", password=" + (password == null || password.isEmpty() ? "(none)" : "******")
                    + ", maximumPoolSize=" + maximumPoolSize + ", connectionTimeout=" + connectionTimeout
                    + ", socketTimeout=" + socketTimeout + "]";
        }
    }

    /**
     * @param migrate create and fill the stand-in HLR's schema (Flyway, {@code db/hlr-standin}). Only the
     *                sandbox sets it: the hub never migrates an operator's real HLR.
     */
    public record StandIn(@DefaultValue("false") boolean migrate) {
    }

    /**
     * @param quarantine how long a released IMSI or MSISDN stays out of the pool before it is handed out again: a
     *                   number given back by a compensated sign-up or a retired subscriber may still be in a
     *                   downloaded profile, a network element's cache or a contact list, so it must not reach the
     *                   next customer at once. 90 days is a common MSISDN ageing period; {@code 0s} reuses at once
     */
    public record Pools(@DefaultValue("90d") @NotNull @DurationMin(millis = 0) Duration quarantine) {
    }
}
