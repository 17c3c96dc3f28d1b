package io.provisioninghub.routes.benchmark;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording of the benchmark: where the
 * CPU of the hub's request threads goes, by step of the configuration flow (inclusive) and by method (self).
 * <pre>
 * ./mvnw -B -ntp -o -pl routes -Pbenchmark verify -DskipTests \
 *     -Dbenchmark.jvmOption=-XX:StartFlightRecording=filename=target/benchmark.jfr,settings=profile
 * java -cp routes/target/test-classes io.provisioninghub.routes.benchmark.JfrProfile routes/target/benchmark.jfr [from to]
 * </pre>
 * {@code from}/{@code to} (ISO instants) restrict it to one phase; the benchmark logs when each phase ran.
 */
public final class JfrProfile {

    /** Steps of the flow and of the stack, recognised by a frame's class and method name (first match wins). */
    private static final Map<String, String> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("ConfigurationSessions.open", "session: INSERT (first request)");
        STEPS.put("ConfigurationSessions.find", "session: SELECT (HTTPS request)");
        STEPS.put("CamelHlrClient.lookup", "HLR lookup (camel-sql)");
        STEPS.put("CamelBillingClient.productsOf", "billing lookup (camel-http + breaker)");
        STEPS.put("ConfigurationVersions.isCurrent", "version check (SELECT)");
        STEPS.put("ConfigurationVersions.serveFull", "version write (transaction)");
        STEPS.put("AccessTokens.issue", "token issue");
        STEPS.put("ConfigurationTemplates.render", "template render");
        STEPS.put("ProvisioningDocuments.marshal", "JAXB marshal");
        STEPS.put("RequestRules.validate", "Table 1 validation");
        STEPS.put("HeaderEnrichment.identify", "header enrichment");
        STEPS.put("DeviceRequest.from", "DeviceRequest.from");
        STEPS.put("HttpResponses.write", "HttpResponses.write");
        STEPS.put("UserMessages.", "user messages");
        STEPS.put("SubscriberPolicy.decide", "subscriber policy");
        STEPS.put("RedactingAccessLog$Valve.log", "access log (redacting valve)");
        STEPS.put("AccessLogValve.log", "access log (valve)");
        STEPS.put("sun.security.ssl.", "TLS (JSSE)");
        STEPS.put("org.apache.camel.component.platform.http.", "platform-http (outside the route)");
        STEPS.put("org.apache.camel.", "Camel (other)");
        STEPS.put("org.apache.coyote.", "Tomcat connector (other)");
        STEPS.put("org.apache.tomcat.", "Tomcat util/net (other)");
        STEPS.put("org.apache.catalina.", "Tomcat container (other)");
        STEPS.put("org.springframework.", "Spring (other)");
    }

    private JfrProfile() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Instant from = args.length > 1 ? Instant.parse(args[1]) : Instant.MIN;
        Instant to = args.length > 2 ? Instant.parse(args[2]) : Instant.MAX;
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Long> selfTop = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> steps = new LinkedHashMap<>();
        // -Dfocus=Class.method: what the samples under that frame spend their time in (frames inside it)
        String focus = System.getProperty("focus");
        Map<String, Long> focusInclusive = new HashMap<>();
        Map<String, Long> focusCallers = new HashMap<>();
        long focused = 0;
        long total = 0;
        long hub = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            total++;
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            String kind = thread == null ? "?" : thread.replaceAll("[0-9]+", "N");
            byThread.merge(kind, 1L, Long::sum);
            if (!(kind.contains("exec-") || kind.contains("nio-") || kind.startsWith("task-"))) {
                continue; // the hub's request threads only: Tomcat's threads, and Spring's task-N running the routes
            }
            hub++;
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (!frames.isEmpty()) {
                selfTop.merge(name(frames.get(0)), 1L, Long::sum);
            }
            Set<String> seen = new HashSet<>();
            String step = null;
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    inclusive.merge(n, 1L, Long::sum);
                }
            }
            // The innermost flow step names the sample; else the innermost library layer.
            outer:
            for (Map.Entry<String, String> s : STEPS.entrySet()) {
                for (RecordedFrame f : frames) {
                    if (name(f).contains(s.getKey())) {
                        step = s.getValue();
                        break outer;
                    }
                }
            }
            steps.merge(step == null ? "other" : step, 1L, Long::sum);
            if (focus != null) {
                int at = -1;
                for (int i = 0; i < frames.size(); i++) {
                    if (name(frames.get(i)).contains(focus)) {
                        at = i; // outermost match: keep the innermost frames only
                    }
                }
                if (at >= 0) {
                    focused++;
                    Set<String> inner = new HashSet<>();
                    for (int i = 0; i < at; i++) {
                        if (inner.add(name(frames.get(i)))) {
                            focusInclusive.merge(name(frames.get(i)), 1L, Long::sum);
                        }
                    }
                    Set<String> outer = new HashSet<>();
                    for (int i = at + 1; i < frames.size(); i++) {
                        if (outer.add(name(frames.get(i)))) {
                            focusCallers.merge(name(frames.get(i)), 1L, Long::sum);
                        }
                    }
                }
            }
        }
        System.out.printf("%d CPU samples, %d on the hub's request threads (Tomcat, task-N)%n%n", total, hub);
        print("Samples by thread", byThread, total, 25);
        print("Hub request threads: by step (a sample counts for the first step in this list found on its stack)",
                steps, hub, 40);
        print("Hub request threads: self (top frame)", selfTop, hub, 40);
        print("Hub request threads: inclusive (method anywhere on the stack)", inclusive, hub, 80);
        if (focus != null) {
            print("Inside " + focus + " (" + focused + " samples): inclusive", focusInclusive, focused, 120);
            print("Callers of " + focus + " (" + focused + " samples)", focusCallers, focused, 60);
        }
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m.getType().getName() + "." + m.getName();
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println("== " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf("%6.1f%%  %7d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getValue(), e.getKey()));
        System.out.println();
    }
}
