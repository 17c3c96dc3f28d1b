package io.provisioninghub.routes.identity;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Spring Security on the operator plane (it never sees a device-plane request: PlaneFilter). The operator API is an
 * OAuth 2.0 resource server: a JWT access token from the operator's identity provider
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}, optionally {@code audiences}),
 * or in the sandbox from {@link SandboxAuthorizationServer}. Spring Security authenticates (401 without a valid token);
 * each route then allows its roles ({@link OperatorAccess}, 403) and the audit trail records the call with its actor.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(OperatorProperties.class)
class OperatorSecurity {

    @Bean
    @Order(2)
    SecurityFilterChain operatorApi(HttpSecurity http, OperatorProperties properties,
                                    ObjectProvider<JwtDecoder> decoders) throws Exception {
        JwtDecoder decoder = decoders.getIfAvailable();
        if (decoder == null) {
            throw new IllegalStateException("the operator API needs the operator's identity provider: set "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri (or jwk-set-uri), see docs/security.md");
        }
        http.securityMatcher("/operator/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder)
                        .jwtAuthenticationConverter(new OperatorRolesConverter(properties.rolesClaim()))))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Bearer tokens only, no cookie: a cross-site request cannot carry the credential, nothing for CSRF.
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /** The rest of the operator plane: the sandbox's login page, or nothing at all without the authorization server. */
    @Bean
    @Order(3)
    SecurityFilterChain operatorPlane(HttpSecurity http, OperatorProperties properties) throws Exception {
        if (properties.authorizationServer().enabled()) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults());
        } else {
            http.authorizeHttpRequests(requests -> requests.anyRequest().denyAll());
        }
        return http.build();
    }

    /** A request Spring Security's firewall refuses (an encoded slash, a control character ...) is a 400, not a 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler();
    }
}
