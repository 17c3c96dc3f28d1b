package io.provisioninghub.routes.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operations the benchmark measures, as a device (behind the operator's gateway) performs them.
 * Subscribers are the sandbox's generated ones: n = 1..100000, IMSI {@code 00101} + (1000000000 + n),
 * MSISDN {@code +1555} + (1000000 + n), all entitled to every service.
 */
final class Workloads {

    static final String STATIC_PATH = "/static/provisioning-sample.xml";
    static final int GENERATED_SUBSCRIBERS = 100_000;

    /** Histograms of a cycle, in this order. */
    static final String CYCLE = "cycle";
    static final String FIRST = "HTTP first request";
    static final String SECOND = "HTTPS request";
    static final String SERVICE = "cycle service time";
    static final String[] CYCLE_HISTOGRAMS = {CYCLE, FIRST, SECOND, SERVICE};
    static final String REQUEST = "request";
    static final String[] REQUEST_HISTOGRAMS = {REQUEST};

    private static final String TABLE1_TAIL = "&provisioning_version=2.0&terminal_vendor=ACME"
            + "&terminal_model=Phone-1&terminal_sw_version=1.0.3";
    private static final String VERSION_PARM = "name=\"version\" value=\"";

    private Workloads() {
    }

    static String imsi(int n) {
        return "00101" + (1_000_000_000L + n);
    }

    static String msisdn(int n) {
        return "+1555" + (1_000_000 + n);
    }

    /** One GET of the static document over one of the worker's connections. */
    static Load.Operation staticDocument(boolean tls, byte[] expected) {
        return (worker, seq, start) -> {
            HttpConnection.Response r = (tls ? worker.https : worker.http).get(STATIC_PATH, "");
            long end = System.nanoTime();
            if (r.status() != 200) {
                return "static " + (tls ? "HTTPS" : "HTTP") + ": HTTP " + r.status();
            }
            if (!java.util.Arrays.equals(r.body(), expected)) {
                return "static: unexpected body";
            }
            worker.record(0, end - start);
            return null;
        };
    }

    /** The static document over HTTP, then over HTTPS: the same two connections and order as a cycle. */
    static Load.Operation staticPair(byte[] expected) {
        return (worker, seq, start) -> {
            HttpConnection.Response first = worker.http.get(STATIC_PATH, "");
            long t1 = System.nanoTime();
            HttpConnection.Response second = worker.https.get(STATIC_PATH, "");
            long t2 = System.nanoTime();
            if (first.status() != 200 || second.status() != 200) {
                return "static pair: HTTP " + first.status() + "/" + second.status();
            }
            if (!java.util.Arrays.equals(first.body(), expected) || !java.util.Arrays.equals(second.body(), expected)) {
                return "static: unexpected body";
            }
            worker.record(0, t1 - start);
            worker.record(0, t2 - t1);
            return null;
        };
    }

    /**
     * The check cycle (RCC.14 §2.2, version unchanged): the plain-HTTP first request with the gateway's
     * enrichment headers, then the HTTPS request with the cookie and the version the hub sent the subscriber
     * before. Expects 200 + Set-Cookie, then 200 + the VERS-only document with that version.
     */
    static Load.Operation checkCycle(AtomicLong cursor, int pool, long[] versions) {
        return (worker, seq, start) -> {
            int n = 1 + (int) (cursor.getAndIncrement() % pool);
            long version = versions[n];
            return cycle(worker, n, version, start, true);
        };
    }

    /**
     * A first configuration: the same two requests with {@code vers=0}, for subscribers taken in order from
     * {@code first}; expects the full document and stores the version it names in {@code versions[n]}.
     */
    static Load.Operation firstConfiguration(AtomicLong cursor, int first, long[] versions) {
        return (worker, seq, start) -> {
            long n = first + cursor.getAndIncrement();
            if (n > GENERATED_SUBSCRIBERS) {
                return "no generated subscriber left";
            }
            return cycle(worker, (int) n, 0, start, false, versions);
        };
    }

    private static String cycle(Load.Worker worker, int n, long vers, long start, boolean check) throws Exception {
        return cycle(worker, n, vers, start, check, null);
    }

    private static String cycle(Load.Worker worker, int n, long vers, long start, boolean check, long[] versions)
            throws Exception {
        long t0 = System.nanoTime();
        HttpConnection.Response first = worker.http.get("/",
                "X-MSISDN: " + msisdn(n) + "\r\nX-IMSI: " + imsi(n) + "\r\n");
        long t1 = System.nanoTime();
        if (first.status() != 200) {
            return "first request: HTTP " + first.status();
        }
        if (first.cookie() == null || !first.cookie().startsWith("rcc14-session=")) {
            return "first request: no session cookie";
        }
        HttpConnection.Response second = worker.https.get("/?vers=" + vers + TABLE1_TAIL,
                "Cookie: " + first.cookie() + "\r\n");
        long t2 = System.nanoTime();
        if (second.status() != 200) {
            return (check ? "check" : "first configuration") + " request: HTTP " + second.status();
        }
        String body = second.text();
        long served = versionOf(body);
        int characteristics = count(body, "<characteristic ");
        if (check) {
            if (served != vers || characteristics != 1) {
                return "check request: not the VERS-only document of the unchanged version";
            }
        } else {
            if (served <= 0 || !body.contains("type=\"APPLICATION\"") || !body.contains("type=\"MESSAGING\"")) {
                return "first configuration: not the full document";
            }
            if (versions != null) {
                versions[n] = served;
            }
        }
        worker.record(0, t2 - start);
        worker.record(1, t1 - t0);
        worker.record(2, t2 - t1);
        worker.record(3, t2 - t0);
        return null;
    }

    /** The VERS version a provisioning document names, or -1. */
    static long versionOf(String body) {
        int at = body.indexOf(VERSION_PARM);
        if (at < 0) {
            return -1;
        }
        int from = at + VERSION_PARM.length();
        int to = body.indexOf('"', from);
        try {
            return Long.parseLong(body, from, to, 10);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            count++;
        }
        return count;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
