package io.provisioninghub.connectors.billing;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequestInterceptor;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The billing endpoint's Apache HttpClient, beyond what camel-http's URI options cover:
 * <ul>
 *   <li>no automatic retries: HttpClient would otherwise retry a 503 once after a second, outside the circuit
 *       breaker and on top of our own retries;</li>
 *   <li>no cookies and no redirects: billing is an API, and state or a redirect there is a misconfiguration;</li>
 *   <li>HTTP basic authentication, sent preemptively from a header computed once. The credentials never
 *       appear in an endpoint URI, so they cannot reach a log line, JMX or the route dump.</li>
 * </ul>
 */
final class BillingHttpClientConfigurer implements HttpClientConfigurer {

    private final String authorization;

    BillingHttpClientConfigurer(BillingProperties properties) {
        if (properties.hasCredentials()) {
            String password = properties.password() == null ? "" : properties.password();
            String token = properties.username() + ":" + password;
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        } else {
            this.authorization = null;
        }
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.disableCookieManagement();
        builder.disableRedirectHandling();
        if (authorization != null) {
            String header = authorization;
            builder.addRequestInterceptorFirst(
                    (HttpRequestInterceptor) (request, entity, context) -> request.setHeader(HttpHeaders.AUTHORIZATION, header));
        }
    }

    @Override
    public String toString() {
        return "BillingHttpClientConfigurer[basicAuth=" + (authorization != null) + "]";
    }
}
