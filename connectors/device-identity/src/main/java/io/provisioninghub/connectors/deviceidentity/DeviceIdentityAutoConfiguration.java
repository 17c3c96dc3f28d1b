package io.provisioninghub.connectors.deviceidentity;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * Device identity (SIGNUP-1): the configured manufacturer CAs and CRLs ({@link ManufacturerTrust}), the chain
 * validator ({@link DeviceCertificates}) and the signed-challenge verifier ({@link SignedChallenges}).
 * Configured by {@code hub.device-identity.*} ({@link DeviceIdentityProperties}). A unique {@link Clock} bean,
 * if the application has one, is the time certificates are checked at; otherwise the system clock.
 * <p>
 * Without any manufacturer the beans still exist and refuse every device as {@link RefusalReason#UNTRUSTED_CA},
 * so the hub starts (and says so once at start).
 */
@AutoConfiguration
@EnableConfigurationProperties(DeviceIdentityProperties.class)
public class DeviceIdentityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ManufacturerTrust manufacturerTrust(DeviceIdentityProperties properties, ObjectProvider<Clock> clock) {
        return ManufacturerTrust.load(properties, clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    @ConditionalOnMissingBean
    DeviceCertificates deviceCertificates(ManufacturerTrust trust, DeviceIdentityProperties properties,
                                          ObjectProvider<Clock> clock) {
        return new DeviceCertificates(trust, properties, clock.getIfUnique(Clock::systemUTC));
    }

    @Bean
    @ConditionalOnMissingBean
    SignedChallenges signedChallenges(DeviceCertificates certificates, DeviceIdentityProperties properties,
                                      ObjectProvider<Clock> clock) {
        return new SignedChallenges(certificates, properties, clock.getIfUnique(Clock::systemUTC));
    }
}
