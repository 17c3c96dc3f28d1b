package io.provisioninghub.routes.support;

import org.junit.jupiter.api.BeforeAll;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Base of the end-to-end tests that drive the shared sandbox hub as a device. */
public abstract class SharedHubTest {

    /** One operator client per role on the shared hub, for the whole test JVM (each fetches and keeps its token). */
    private static final Map<String, OperatorClient> OPERATORS = new ConcurrentHashMap<>();

    protected static HubInstance hub;
    protected static DeviceClient device;

    @BeforeAll
    static void connectToSharedHub() {
        hub = HubInstance.shared();
        device = hub.device();
    }

    /**
     * The shared hub's operator client with the sandbox client of {@code role} ("care", "security" or "admin"):
     * operator API calls on the operator plane with that role's access token.
     */
    protected static OperatorClient operatorAs(String role) {
        return OPERATORS.computeIfAbsent(role, r -> HubInstance.shared().operator(r));
    }
}
