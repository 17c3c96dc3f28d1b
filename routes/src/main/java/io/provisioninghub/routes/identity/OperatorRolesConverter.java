package io.provisioninghub.routes.identity;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an operator's access token into the hub's roles: the values of the configured roles claim that name an
 * {@link OperatorRole}; other values (the identity provider's own roles) are ignored. No role, no access: every
 * operator route names the roles it allows.
 */
final class OperatorRolesConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final String[] claimPath;

    OperatorRolesConverter(String rolesClaim) {
        this.claimPath = rolesClaim.split("\\.");
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (OperatorRole role : roles(jwt.getClaims())) {
            authorities.add(new SimpleGrantedAuthority(role.authority()));
        }
        return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
    }

    Set<OperatorRole> roles(Map<String, Object> claims) {
        Object value = claims;
        for (String name : claimPath) {
            value = value instanceof Map<?, ?> map ? map.get(name) : null;
        }
        Set<OperatorRole> roles = EnumSet.noneOf(OperatorRole.class);
        Collection<?> values = value instanceof Collection<?> list ? list
                : value instanceof String text ? List.of(text.split("[ ,]+")) : List.of();
        for (Object role : values) {
            if (role instanceof String name) {
                OperatorRole.fromClaimValue(name).ifPresent(roles::add);
            }
        }
        return roles;
    }
}
