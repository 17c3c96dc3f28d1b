package io.provisioninghub.routes.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Keeps each plane on its own ports (issue 13, docs/security.md). The device plane (plain HTTP {@code hub.http.port}
 * and HTTPS {@code server.port}) serves only what devices use; the operator plane ({@link OperatorConnector}) serves
 * only the operator API and the identity endpoints. A path of the other plane, or of no plane, answers 404 before
 * anything else runs. The management plane is Spring Boot's own server on {@code management.server.port}.
 *
 * <p>Spring Security runs on the operator plane only: the device plane authenticates devices itself (RCC.14 cookies,
 * tokens and OTPs, signed challenges), and its hot path must not pay for a security filter chain per request
 * (docs/benchmarks.md). So Spring Boot's own registration of Spring Security's filter is switched off
 * ({@link PlaneConfiguration}) and this filter hands operator-plane requests to it.
 */
final class PlaneFilter extends OncePerRequestFilter {

    private static final byte[] NOT_FOUND = "Not Found".getBytes(StandardCharsets.US_ASCII);

    private final OperatorConnector operatorConnector;
    private final Supplier<Filter> operatorSecurity;

    PlaneFilter(OperatorConnector operatorConnector, Supplier<Filter> operatorSecurity) {
        this.operatorConnector = operatorConnector;
        this.operatorSecurity = operatorSecurity;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        if (operatorConnector.accepted(request.getLocalPort())) {
            if (!Plane.OPERATOR.serves(path)) {
                notFound(response);
                return;
            }
            operatorSecurity.get().doFilter(request, response, chain);
            return;
        }
        if (!Plane.DEVICE.serves(path)) {
            notFound(response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The decoded, normalised path (Tomcat has removed dot segments and path parameters). */
    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=US-ASCII");
        response.setContentLength(NOT_FOUND.length);
        response.getOutputStream().write(NOT_FOUND);
    }

    /** What each plane serves, by path. */
    enum Plane {
        /** RCC.14 configuration ({@code /}), sign-up, rotation proposals, and the benchmarks' static baseline. */
        DEVICE {
            @Override
            boolean serves(String path) {
                return path.equals("/") || path.equals("/signup") || path.startsWith("/signup/")
                        || path.startsWith("/rotation/v1/") || path.equals("/static/provisioning-sample.xml");
            }
        },
        /** The operator API, and the OAuth 2.0 / OpenID Connect endpoints of the sandbox's authorization server. */
        OPERATOR {
            @Override
            boolean serves(String path) {
                return path.startsWith("/operator/") || path.startsWith("/oauth2/") || path.startsWith("/.well-known/")
                        || path.startsWith("/connect/") || path.equals("/userinfo") || path.equals("/login")
                        || path.equals("/logout") || path.equals("/default-ui.css");
            }
        };

        abstract boolean serves(String path);
    }
}
