package io.provisioninghub.connectors.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for servers that must be told their port before they start (PostgreSQL: the port
 * is also part of its socket and lock file names, so it cannot bind port 0 itself).
 */
final class LoopbackPorts {

    /** Linux's list of the ports outgoing connections (and bind(0)) take: "low high". */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Below the registered ports most local services use (5432, 8080, 9092, 61616 aside). */
    static final int LOWEST = 20000;
    private static final int LINUX_DEFAULT_EPHEMERAL_LOW = 32768;
    private static final int ATTEMPTS = 200;

    private LoopbackPorts() {
    }

    /**
     * A port that is free now, chosen at random from [20000, the ephemeral range's low end), so that no outgoing
     * connection of any process can take it before the server binds it; another process choosing ports the same
     * way can, but two random choices in ~12,000 ports rarely meet.
     *
     * @throws IOException when no free port was found in 200 tries
     */
    static int freeBelowEphemeralRange() throws IOException {
        int high = ephemeralLow(readRange());
        if (high - LOWEST < 1000) {
            return anyFree(); // an unusual range: fall back to the kernel's choice
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST, high);
            if (isFree(candidate)) {
                return candidate;
            }
        }
        throw new IOException("no free port on 127.0.0.1 between " + LOWEST + " and " + high + " after " + ATTEMPTS + " tries");
    }

    /** The ephemeral range's low end from the file's text ("32768\t60999"), the Linux default when unreadable. */
    static int ephemeralLow(String range) {
        if (range != null) {
            String[] bounds = range.trim().split("\\s+");
            try {
                return Integer.parseInt(bounds[0]);
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return LINUX_DEFAULT_EPHEMERAL_LOW;
    }

    private static String readRange() {
        // Read as lines: procfs reports a size of 0, and Files.readString trusts the size (it returned "3" here).
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            return reader.readLine();
        } catch (IOException | SecurityException e) {
            return null; // not Linux: use the Linux default, which is also IANA's dynamic range start (49152) or lower
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
