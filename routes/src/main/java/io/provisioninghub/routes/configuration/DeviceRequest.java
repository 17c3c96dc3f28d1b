package io.provisioninghub.routes.configuration;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.List;

/**
 * What the configuration flow reads of an HTTP(S) request, taken from the servlet request once.
 *
 * @param secure     received over TLS (the second request of RCC.14 §2.2 must be HTTPS)
 * @param remoteAddr the peer address (the operator's gateway for enriched requests)
 * @param cookie     the session cookie's value, or null
 */
record DeviceRequest(boolean secure, String remoteAddr, String host, String rawQuery, String cookie,
                     String acceptLanguage, List<String> msisdnHeader, List<String> imsiHeader, String formBody,
                     boolean tokenOrOtp) {

    static final String COOKIE_NAME = "rcc14-session";

    /**
     * @param formBody the body of a POST (application/x-www-form-urlencoded), which may carry the OTP of Tables 10,
     *                 13 and 14 out of the query string; null for a GET
     * <p>
     * {@code tokenOrOtp}: the request is one of Tables 9, 10, 12, 13, 14 rather than Table 1, decided once here.
     */
    static DeviceRequest from(HttpServletRequest request, EnrichmentProperties enrichment, String formBody) {
        return new DeviceRequest(request.isSecure(), request.getRemoteAddr(), request.getHeader("Host"),
                request.getQueryString(), sessionCookie(request), request.getHeader("Accept-Language"),
                Collections.list(request.getHeaders(enrichment.msisdnHeader())),
                Collections.list(request.getHeaders(enrichment.imsiHeader())), formBody,
                NonCellularConfigurationFlow.applies(request.getQueryString(), formBody));
    }

    private static String sessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        String found = null;
        for (Cookie cookie : cookies) {
            if (COOKIE_NAME.equals(cookie.getName())) {
                if (found != null) {
                    return null; // two session cookies: ambiguous, trust neither
                }
                found = cookie.getValue();
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return "DeviceRequest[secure=" + secure + "]";
    }
}
