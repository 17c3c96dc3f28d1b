package io.provisioninghub.routes.operator;

import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.SharedHubTest;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role table is one contract (issue 13, docs/security.md#roles): every operation of
 * schemas/openapi/operator-api.yaml is tried over HTTPS with each role's token, and the hub must let exactly the roles
 * of its {@code x-roles} through (any answer but 401/403) and refuse the others with 403; and every operator route the
 * hub runs is in the contract. Path parameters name nothing that exists and bodies are empty, so no call changes
 * anything.
 */
class OperatorRolesContractTest extends SharedHubTest {

    private static final Path CONTRACT = Path.of("..", "schemas", "openapi", "operator-api.yaml");
    private static final List<String> ROLES = List.of("care", "security", "admin");
    private static final Map<String, String> SAMPLES = Map.of(
            "{imsi}", "001019999999999", "{msisdn}", "%2B15559999999", "{device}", "IMEI%3A490154203237518",
            "{action}", "pause");

    @Test // issue 13: each operation lets exactly its x-roles through
    void everyOperationAllowsExactlyTheRolesOfTheContract() throws IOException {
        int checked = 0;
        for (Map.Entry<String, Map<String, Object>> path : paths().entrySet()) {
            for (Map.Entry<String, Object> operation : path.getValue().entrySet()) {
                if (!Set.of("get", "post", "put", "delete").contains(operation.getKey())) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                List<String> allowed = (List<String>) ((Map<String, Object>) operation.getValue()).get("x-roles");
                assertThat(allowed).as(operation.getKey() + " " + path.getKey() + " has x-roles").isNotEmpty();
                for (String role : ROLES) {
                    int status = call(hub.operator(role), operation.getKey().toUpperCase(), concrete(path.getKey()));
                    String what = role + " → " + operation.getKey().toUpperCase() + " " + path.getKey();
                    if (allowed.contains(role)) {
                        assertThat(status).as(what).isNotIn(401, 403).isLessThan(500);
                    } else {
                        assertThat(status).as(what).isEqualTo(403);
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    @Test // issue 13: no operator route outside the contract
    void everyOperatorRouteIsInTheContract() throws IOException {
        Set<String> served = new TreeSet<>();
        for (Route route : hub.context().getBean(CamelContext.class).getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint http && http.getPath().startsWith("/operator/")) {
                served.add(http.getPath());
            }
        }
        assertThat(paths().keySet()).containsAll(served);
        assertThat(served).containsAll(paths().keySet());
    }

    private static int call(OperatorClient client, String method, String path) {
        HttpRequest.Builder request = client.request(path);
        if ("GET".equals(method) || "DELETE".equals(method)) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(""));
        }
        return client.send(request.build()).statusCode();
    }

    private static String concrete(String template) {
        String path = template.replace("/campaigns/{id}", "/campaigns/999999999")
                .replace("/device-bindings/{id}", "/device-bindings/" + UUID.randomUUID());
        for (Map.Entry<String, String> sample : SAMPLES.entrySet()) {
            path = path.replace(sample.getKey(), sample.getValue());
        }
        assertThat(path).as(template).doesNotContain("{");
        return path;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> paths() throws IOException {
        try (Reader reader = Files.newBufferedReader(CONTRACT)) {
            Map<String, Object> contract = new Yaml().load(reader);
            return (Map<String, Map<String, Object>>) contract.get("paths");
        }
    }
}
