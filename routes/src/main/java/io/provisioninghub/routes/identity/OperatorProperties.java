package io.provisioninghub.routes.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The operator plane ({@code hub.operator.*}; docs/configuration.md, "Operator plane"; docs/security.md).
 *
 * @param port                the operator plane's HTTPS port (the operator API, the sandbox's authorization server)
 * @param rolesClaim          the access token claim that holds the operator's roles: a JSON array or a space- or
 *                            comma-separated string; a dotted path reaches into objects (Keycloak:
 *                            {@code realm_access.roles})
 * @param authorizationServer the authorization server the sandbox runs in the hub's JVM
 */
@ConfigurationProperties("hub.operator")
public record OperatorProperties(@DefaultValue("8444") int port,
                                 @DefaultValue("roles") String rolesClaim,
                                 @DefaultValue AuthorizationServer authorizationServer) {

    /**
     * @param enabled             run Spring Authorization Server on the operator port (the sandbox's default; never on
     *                            a real deployment, which uses the operator's identity provider)
     * @param accessTokenValidity lifetime of the access tokens it issues
     * @param consoleRedirectUris where the console's authorization-code flow may return to
     * @param keyFile             the signing key (a private JWK), made on the first start; shared by a sandbox's replicas
     */
    public record AuthorizationServer(@DefaultValue("false") boolean enabled,
                                      @DefaultValue("15m") Duration accessTokenValidity,
                                      @DefaultValue("https://localhost:8444/console/login/oauth2/code/hub")
                                      List<String> consoleRedirectUris,
                                      @DefaultValue("data/sandbox/oauth/signing-key.jwk") Path keyFile) {
    }
}
