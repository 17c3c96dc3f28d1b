package io.provisioninghub.connectors.deviceidentity;

import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Builds the hub side from {@code hub.device-identity.*} properties, bound as Spring Boot binds them. */
final class TrustFixture {

    private TrustFixture() {
    }

    /** Properties trusting the CA's root, with its CRLs when {@code withCrls}. */
    static Map<String, String> trusting(TestManufacturerCa ca, boolean withCrls) {
        Map<String, String> properties = new HashMap<>();
        properties.put("hub.device-identity.manufacturers[0].name", "Acme");
        properties.put("hub.device-identity.manufacturers[0].ca-files[0]", ca.rootCertificateFile().toString());
        if (withCrls) {
            for (int i = 0; i < ca.crlFiles().size(); i++) {
                properties.put("hub.device-identity.manufacturers[0].crl-files[" + i + "]",
                        ca.crlFiles().get(i).toString());
            }
        }
        return properties;
    }

    static DeviceIdentityProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("hub.device-identity", Bindable.of(DeviceIdentityProperties.class));
    }

    static DeviceCertificates validator(Map<String, String> properties, Clock clock) {
        DeviceIdentityProperties bound = bind(properties);
        return new DeviceCertificates(ManufacturerTrust.load(bound, clock), bound, clock);
    }

    static DeviceCertificates validator(Map<String, String> properties) {
        return validator(properties, Clock.systemUTC());
    }

    /** Asserts a refusal's reason and that its message is for a person: no PEM, no exception names. */
    static DeviceIdentityRefusedException refusal(Runnable validation, RefusalReason reason) {
        DeviceIdentityRefusedException refused =
                catchThrowableOfType(validation::run, DeviceIdentityRefusedException.class);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.reason()).as(refused.getMessage()).isEqualTo(reason);
        assertThat(refused.getMessage()).isNotBlank().doesNotContain("-----BEGIN", "Exception", "\n", "sun.", "java.");
        assertThat(refused.getCause()).isNull();
        return refused;
    }

    /** A clock a test moves forward. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
