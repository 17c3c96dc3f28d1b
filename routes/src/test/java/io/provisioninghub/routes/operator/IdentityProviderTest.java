package io.provisioninghub.routes.operator;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.OperatorClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator API against an operator's own identity provider (issue 13, docs/security.md#identity-provider), as a
 * real deployment runs it: no sandbox authorization server, the provider's signing keys from its JWK set URI over HTTP,
 * issuer and audience checked, the roles in a nested claim (Keycloak's {@code realm_access.roles}). The provider here
 * is the test's: a JWK set served over HTTP and tokens it signs.
 */
class IdentityProviderTest {

    private static final String ISSUER = "https://idp.test.example/realms/operator";
    private static final String AUDIENCE = "provisioning-hub";
    private static RSAKey providerKey;
    private static HttpServer jwks;
    private static HubInstance hub;

    @BeforeAll
    static void start() throws Exception {
        providerKey = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        byte[] keySet = new JWKSet(providerKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keySet.length);
            exchange.getResponseBody().write(keySet);
            exchange.close();
        });
        jwks.start();
        hub = HubInstance.start(Map.of(
                "hub.operator.authorization-server.enabled", "false",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER,
                "spring.security.oauth2.resourceserver.jwt.audiences", AUDIENCE,
                "hub.operator.roles-claim", "realm_access.roles"));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        jwks.stop(0);
    }

    @Test // issue 13: a provider's token with the hub's audience and a role in realm_access.roles is accepted, by role
    void tokensOfTheOperatorsIdentityProviderAreAcceptedByRole() throws Exception {
        String care = token(providerKey, ISSUER, AUDIENCE, List.of("care", "offline_access"), Instant.now().plusSeconds(300));
        assertThat(status(care, "/operator/v1/subscribers/001010000000001/configuration")).isEqualTo(200);
        assertThat(status(care, "/operator/v1/campaigns")).isEqualTo(403);
        String security = token(providerKey, ISSUER, AUDIENCE, List.of("security"), Instant.now().plusSeconds(300));
        assertThat(status(security, "/operator/v1/campaigns")).isEqualTo(200);
        String none = token(providerKey, ISSUER, AUDIENCE, List.of("offline_access"), Instant.now().plusSeconds(300));
        assertThat(status(none, "/operator/v1/subscribers/001010000000001/configuration")).isEqualTo(403);
    }

    @Test // issue 13: another audience, another issuer, an expired token or another key: 401
    void tokensTheHubMustNotTrustAreRefused() throws Exception {
        String path = "/operator/v1/subscribers/001010000000001/configuration";
        List<String> roles = List.of("care");
        Instant later = Instant.now().plusSeconds(300);
        assertThat(status(token(providerKey, ISSUER, "another-service", roles, later), path)).isEqualTo(401);
        assertThat(status(token(providerKey, "https://elsewhere.example", AUDIENCE, roles, later), path)).isEqualTo(401);
        assertThat(status(token(providerKey, ISSUER, AUDIENCE, roles, Instant.now().minusSeconds(600)), path)).isEqualTo(401);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        assertThat(status(token(stranger, ISSUER, AUDIENCE, roles, later), path)).isEqualTo(401);
    }

    @Test // issue 13: without the sandbox, the hub offers no token endpoint of its own
    void noSandboxAuthorizationServer() {
        OperatorClient client = hub.operator("care");
        assertThat(client.requestToken().statusCode()).isNotEqualTo(200);
    }

    private static int status(String token, String path) {
        OperatorClient client = hub.operator("care");
        return client.send(HttpRequest.newBuilder(client.uri(path)).header("Authorization", "Bearer " + token).GET()
                .build()).statusCode();
    }

    private static String token(RSAKey key, String issuer, String audience, List<String> roles, Instant expires)
            throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer).subject("agent-7").audience(audience).claim("azp", "care-desk")
                .claim("realm_access", Map.of("roles", roles))
                .issueTime(Date.from(expires.minusSeconds(900))).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
