package io.provisioninghub.routes.identity;

import org.apache.camel.component.spring.security.SpringSecurityAuthorizationPolicy;
import org.apache.camel.spi.Policy;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who may run an operator route, as Camel policies ({@code .policy(access.allow(CARE, ADMIN))}): the route says its
 * roles where it is defined, and camel-spring-security checks them against the caller Spring Security has
 * authenticated on this request's thread (platform-http routes run on it: InlinePlatformHttp). A caller without any of
 * the roles gets {@code CamelAuthorizationException}, which the operator API answers with 403; the policy's id names
 * the roles it allows, for that answer.
 */
@Component
public class OperatorAccess {

    /** The policy that lets callers with any of {@code roles} through. */
    public Policy allow(OperatorRole... roles) {
        SpringSecurityAuthorizationPolicy policy = new SpringSecurityAuthorizationPolicy();
        policy.setId(Arrays.stream(roles).map(OperatorRole::claimValue).collect(Collectors.joining(", ")));
        policy.setAuthorizationManager(AuthorityAuthorizationManager.hasAnyAuthority(
                Arrays.stream(roles).map(OperatorRole::authority).toArray(String[]::new)));
        // The caller is always authenticated by the resource server before the route runs; nothing to re-authenticate.
        policy.setAuthenticationManager(authentication -> {
            throw new AuthenticationServiceException("operator routes run only for authenticated callers");
        });
        policy.setUseThreadSecurityContext(true);
        return policy;
    }

    /** The caller of the operator request this thread is serving, if Spring Security has authenticated one. */
    public static Optional<Actor> currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        List<String> roles = new ArrayList<>();
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            OperatorRole.fromAuthority(authority.getAuthority()).ifPresent(role -> roles.add(role.claimValue()));
        }
        String client = null;
        if (authentication instanceof JwtAuthenticationToken token) {
            Jwt jwt = token.getToken();
            client = jwt.getClaimAsString("azp");
            if (client == null) {
                client = jwt.getClaimAsString("client_id");
            }
        }
        return Optional.of(new Actor(authentication.getName(), client, List.copyOf(roles)));
    }

    /**
     * An operator as the audit trail names them.
     *
     * @param subject  the token's subject (a person's user name, or a client's id for client credentials)
     * @param clientId the OAuth client that obtained the token, when the token says
     * @param roles    the hub roles the token grants
     */
    public record Actor(String subject, String clientId, List<String> roles) {
    }
}
