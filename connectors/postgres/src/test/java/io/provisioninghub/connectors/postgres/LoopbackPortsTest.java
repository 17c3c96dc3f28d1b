package io.provisioninghub.connectors.postgres;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackPortsTest {

    @Test
    void choosesABindablePortBelowTheEphemeralRange() throws Exception {
        int port = LoopbackPorts.freeBelowEphemeralRange();
        assertThat(port).isBetween(LoopbackPorts.LOWEST, 32767);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void readsTheRangesLowEndAndFallsBackToLinuxDefault() {
        assertThat(LoopbackPorts.ephemeralLow("40000\t60999\n")).isEqualTo(40000);
        assertThat(LoopbackPorts.ephemeralLow(null)).isEqualTo(32768);
        assertThat(LoopbackPorts.ephemeralLow("garbage")).isEqualTo(32768);
    }
}
