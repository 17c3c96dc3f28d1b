package io.provisioninghub.routes.sandbox;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static io.provisioninghub.routes.support.DeviceClient.cookieOf;
import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's systems without a hub, for replicas to join (issue 14, docs/runbook.md#adding-a-replica): two hub
 * replicas join them with replica.properties alone; a device's first request on one and its second on the other make
 * one §2.2 cycle (shared sessions), and an operator token of one replica's authorization server is good at the other.
 */
class SandboxSystemsOnlyTest {

    @Test // issue 14: replicas join the systems-only sandbox by configuration alone
    void twoReplicasJoinTheSystemsByReplicaPropertiesAlone() throws Exception {
        Path root = Path.of("target", "hub-instances", "systems-only-" + UUID.randomUUID()).toAbsolutePath();
        ConfigurableApplicationContext systems = SandboxSystemsOnly.start(new String[] {
                "--hub.sandbox.data-dir=" + root.resolve("systems"), "--hub.sandbox.postgres.port=0",
                "--hub.sandbox.billing.port=0", "--hub.sandbox.kafka.port=0", "--hub.sandbox.kafka.controller-port=0",
                "--hub.sandbox.artemis.port=0", "--hub.sandbox.smsc.port=0", "--hub.sandbox.smsc.http-port=0",
                "--hub.sandbox.smsc.log-messages=false"});
        HubInstance first = null;
        HubInstance second = null;
        try {
            Path replica = root.resolve("systems").resolve("replica.properties");
            assertThat(replica).exists();
            assertThat(Files.readString(replica)).contains("spring.datasource.url=", "camel.component.kafka.brokers=",
                    "spring.artemis.broker-url=", "hub.smsc.host=", "hub.billing.base-url=", "server.ssl.key-store=");
            first = HubInstance.start(Map.of("spring.config.import", "file:" + replica,
                    "hub.sandbox.data-dir", root.resolve("first").toString()));
            second = HubInstance.start(Map.of("spring.config.import", "file:" + replica,
                    "hub.sandbox.data-dir", root.resolve("second").toString()));

            Subscribers subscriber = Subscribers.generated(96_101);
            DeviceClient onFirst = first.device();
            var opened = onFirst.firstRequest(subscriber.msisdn(), subscriber.imsi());
            assertThat(opened.statusCode()).isEqualTo(200);
            var configured = second.device().secureRequest(table1(0, null), cookieOf(opened).orElseThrow(), Map.of());
            assertThat(configured.statusCode()).as(configured.body()).isEqualTo(200);
            assertThat(ProvisioningDocument.parse(configured.body()).topLevelTypes()).contains("APPLICATION");

            String token = first.operator("care").accessToken();
            var atSecond = second.operator("care");
            assertThat(atSecond.send(HttpRequest.newBuilder(atSecond.uri("/operator/v1/subscribers/" + subscriber.imsi()
                    + "/configuration")).header("Authorization", "Bearer " + token).GET().build()).statusCode())
                    .isEqualTo(200);
        } finally {
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
            systems.close();
            FileSystemUtils.deleteRecursively(root);
        }
    }
}
