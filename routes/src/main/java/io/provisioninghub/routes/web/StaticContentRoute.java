package io.provisioninghub.routes.web;

import io.provisioninghub.routes.common.HttpErrorHandling;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * A fixed document served through the same stack as the configuration flow (Tomcat, platform-http, a Camel
 * route). The benchmark (docs/benchmarks.md) measures it as the baseline for the configuration cycle.
 */
@Component
class StaticContentRoute extends RouteBuilder {

    private static final byte[] BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<wap-provisioningdoc version=\"1.1\">\n    <characteristic type=\"VERS\">\n"
            + "        <parm name=\"version\" value=\"1\"/>\n        <parm name=\"validity\" value=\"86400\"/>\n"
            + "    </characteristic>\n</wap-provisioningdoc>\n").getBytes(StandardCharsets.UTF_8);

    @Override
    public void configure() {
        from("platform-http:/static/provisioning-sample.xml?httpMethodRestrict=GET")
                .routeId("static-provisioning-sample")
                .routeGroup("configuration")
                .routeConfigurationId(HttpErrorHandling.ID)
                .process(exchange -> HttpResponses.write(exchange, HubResponse.of(200, "text/xml;charset=UTF-8", BODY)));
    }
}
