package io.provisioninghub.routes.common;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

import java.util.Map;

/** Writes a {@link HubResponse} onto a platform-http exchange. */
public final class HttpResponses {

    private HttpResponses() {
    }

    public static void write(Exchange exchange, HubResponse response) {
        Message message = exchange.getMessage();
        // platform-http copies every Camel header (query parameters included) into the HTTP response:
        // drop them all, then set only what the hub means to send.
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        message.setHeader(Exchange.CONTENT_TYPE, response.contentType());
        // Configuration responses carry credentials and a token: no cache may keep them. Camel's HTTP header
        // filter drops Cache-Control from outgoing headers, so it goes straight onto the servlet response.
        PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
        if (http != null && http.getResponse() != null) {
            http.getResponse().setHeader("Cache-Control", "no-store");
        }
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        message.setBody(response.body());
    }
}
