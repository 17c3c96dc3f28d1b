package io.provisioninghub.routes.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sandbox's identity provider: Spring Authorization Server in the hub's JVM, on the operator port
 * ({@code hub.operator.authorization-server.enabled}, on with the sandbox). A real deployment uses the operator's own
 * identity provider instead, and this class is not loaded.
 *
 * <ul>
 *   <li>Client credentials ({@code POST /oauth2/token}): confidential clients {@code care}, {@code security} and
 *       {@code admin} with the secrets {@code sandbox-care}, {@code sandbox-security}, {@code sandbox-admin}, each
 *       granted the role of its name.</li>
 *   <li>Authorization code with PKCE ({@code /oauth2/authorize}): the public client {@code hub-console}, for people —
 *       users {@code care}, {@code security}, {@code admin} with the passwords {@code sandbox-<name>}.</li>
 * </ul>
 * Access tokens are JWTs signed with an RSA key made on the first start and kept in the sandbox's data directory; they
 * carry the roles in {@code hub.operator.roles-claim}. The secrets are well known: this is a sandbox, never a deployment.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.operator.authorization-server.enabled", havingValue = "true")
class SandboxAuthorizationServer {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxAuthorizationServer.class);
    /** The client setting that holds a confidential client's roles. */
    private static final String ROLES_SETTING = "hub.roles";
    static final String CONSOLE_CLIENT = "hub-console";

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, configurer -> configurer.oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // A person's browser goes to the login page; an API client gets 401.
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    RegisteredClientRepository sandboxClients(OperatorProperties properties) {
        TokenSettings tokens = TokenSettings.builder()
                .accessTokenTimeToLive(properties.authorizationServer().accessTokenValidity()).build();
        List<RegisteredClient> clients = new ArrayList<>();
        for (OperatorRole role : OperatorRole.values()) {
            String name = role.claimValue();
            clients.add(RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(name)
                    .clientSecret("{noop}sandbox-" + name)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .clientSettings(ClientSettings.builder().setting(ROLES_SETTING, List.of(name)).build())
                    .tokenSettings(tokens)
                    .build());
        }
        RegisteredClient.Builder console = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(CONSOLE_CLIENT)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(tokens);
        properties.authorizationServer().consoleRedirectUris().forEach(console::redirectUri);
        clients.add(console.build());
        return new InMemoryRegisteredClientRepository(clients);
    }

    @Bean
    UserDetailsService sandboxUsers() {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (OperatorRole role : OperatorRole.values()) {
            String name = role.claimValue();
            users.createUser(User.withUsername(name).password("{noop}sandbox-" + name).roles(name).build());
        }
        return users;
    }

    /** The operator's roles in every access token, where the resource server reads them. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> rolesInAccessTokens(OperatorProperties properties) {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            List<String> roles = new ArrayList<>();
            if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
                List<String> granted = context.getRegisteredClient().getClientSettings().getSetting(ROLES_SETTING);
                roles.addAll(granted == null ? List.of() : granted);
            } else {
                for (GrantedAuthority authority : context.getPrincipal().getAuthorities()) {
                    OperatorRole.fromAuthority(authority.getAuthority()).ifPresent(role -> roles.add(role.claimValue()));
                }
            }
            String[] path = properties.rolesClaim().split("\\.");
            Object value = roles;
            for (int i = path.length - 1; i > 0; i--) {
                Map<String, Object> parent = new LinkedHashMap<>();
                parent.put(path[i], value);
                value = parent;
            }
            context.getClaims().claim(path[0], value);
            // RFC 9068 §2.2: the client the token was issued to, which the audit trail records beside the subject.
            context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
        };
    }

    /**
     * The signing key, kept in {@code hub.operator.authorization-server.key-file} so that tokens survive a restart and
     * every replica of a sandbox (joined to its systems, docs/runbook.md#adding-a-replica) accepts the others' tokens.
     */
    @Bean
    JWKSource<SecurityContext> sandboxSigningKey(OperatorProperties properties)
            throws com.nimbusds.jose.JOSEException, java.io.IOException, java.text.ParseException {
        Path file = properties.authorizationServer().keyFile();
        RSAKey key;
        if (Files.isRegularFile(file)) {
            key = RSAKey.parse(Files.readString(file));
        } else {
            key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path written = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(written);
            if (written.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(written, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(written, key.toJSONString());
            Files.move(written, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        LOG.warn("Sandbox authorization server on the operator port: well-known clients care, security and admin "
                + "(docs/security.md); never enable hub.operator.authorization-server on a real deployment");
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    JwtDecoder sandboxTokenDecoder(JWKSource<SecurityContext> signingKey) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(signingKey);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().build();
    }
}
