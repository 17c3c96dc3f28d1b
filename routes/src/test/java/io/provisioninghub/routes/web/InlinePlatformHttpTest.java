package io.provisioninghub.routes.web;

import io.provisioninghub.routes.support.HubInstance;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform-http route runs on the servlet container's request thread (docs/architecture.md, "One thread per
 * request"): camel-platform-http-starter alone would run it on Spring's task executor ({@code task-N}) and
 * dispatch the request a second time. Checked over the wire with a route that answers the name of its thread, on a
 * path of the device plane (issue 13: the device ports answer 404 for any other path before a route runs).
 */
class InlinePlatformHttpTest {

    @Test
    void routeRunsOnTheRequestThreadOfEachConnector() throws Exception {
        HubInstance hub = HubInstance.shared();
        CamelContext camel = hub.context().getBean(CamelContext.class);
        String routeId = "test-inline-platform-http";
        String path = "/rotation/v1/test-inline-platform-http";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:" + path + "?httpMethodRestrict=GET").routeId(routeId)
                        .process(exchange -> {
                            exchange.getMessage().removeHeaders("*");
                            exchange.getMessage().setHeader("Content-Type", "text/plain");
                            exchange.getMessage().setBody(Thread.currentThread().getName());
                        });
            }
        });
        try {
            HttpResponse<String> overHttps = hub.device().get(
                    "https://localhost:" + hub.httpsPort() + path, Map.of());
            HttpResponse<String> overHttp = hub.device().get(
                    "http://localhost:" + hub.httpPort() + path, Map.of());

            assertThat(overHttps.statusCode()).isEqualTo(200);
            assertThat(overHttps.body()).startsWith("https-jsse-nio-");
            assertThat(overHttp.statusCode()).isEqualTo(200);
            assertThat(overHttp.body()).startsWith("http-nio-");
        } finally {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }
}
