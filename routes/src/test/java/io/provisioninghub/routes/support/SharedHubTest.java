package io.provisioninghub.routes.support;

import org.junit.jupiter.api.BeforeAll;

/** Base of the end-to-end tests that drive the shared sandbox hub as a device. */
public abstract class SharedHubTest {

    protected static HubInstance hub;
    protected static DeviceClient device;

    @BeforeAll
    static void connectToSharedHub() {
        hub = HubInstance.shared();
        device = hub.device();
    }
}
