package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.ProvisioningDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances sharing one database (OPS-2, CFG-2, CFG-4): a cookie issued by one is honoured by
 * the other, and both give the same inputs the same version. The second instance starts no stand-in of its own:
 * it is pointed at the first one's PostgreSQL, HLR, billing, Kafka and Artemis through configuration alone.
 */
class MultiReplicaTest {

    static HubInstance first;
    static HubInstance second;

    @BeforeAll
    static void startTwoReplicas() {
        first = HubInstance.shared();
        second = HubInstance.startReplicaOf(first, Map.of());
    }

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    @Test // CFG-2, OPS-2: the HTTP request on one replica, the HTTPS request on the other
    void cookieIssuedByOneReplicaIsHonouredByTheOther() {
        HttpResponse<String> onFirst = first.device().firstRequest("+15551000030", "001011000000030");
        String cookie = DeviceClient.cookieOf(onFirst).orElseThrow();

        HttpResponse<String> onSecond = second.device().secureRequest(table1(0, null), cookie, Map.of());

        assertThat(onSecond.statusCode()).isEqualTo(200);
        assertThat(ProvisioningDocument.parse(onSecond.body()).topLevelTypes()).contains("APPLICATION");
    }

    @Test // CFG-4: equal inputs give an equal version on every replica
    void replicasGiveEqualVersions() {
        long fromFirst = ProvisioningDocument.parse(first.device()
                .configure("+15551000031", "001011000000031", table1(0, null)).body()).version();
        long fromSecond = ProvisioningDocument.parse(second.device()
                .configure("+15551000032", "001011000000032", table1(0, null)).body()).version();
        assertThat(fromSecond).isEqualTo(fromFirst);

        // and the version-only answer holds across replicas for one subscriber
        ProvisioningDocument check = ProvisioningDocument.parse(second.device()
                .configure("+15551000031", "001011000000031", table1(fromFirst, null)).body());
        assertThat(check.topLevelTypes()).containsExactly("VERS");
        assertThat(check.version()).isEqualTo(fromFirst);
    }
}
