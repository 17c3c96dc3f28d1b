package io.provisioninghub.connectors.smsc.simulator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The simulator's sandbox API over HTTP on loopback (JDK {@link HttpServer}), in the spirit of the billing
 * simulator's {@code /sandbox/faults}:
 * <ul>
 *   <li>{@code GET /sandbox/sms}: the recorded submit_sm as a JSON array, oldest first; {@code ?destination=}
 *       keeps those to one number, given with or without '+' (a raw '+' in a query reads as a space, which is
 *       ignored too). {@code DELETE /sandbox/sms}: forget them (and the throughput counters); 204.</li>
 *   <li>{@code GET /sandbox/smsc/faults}: the faults. {@code PUT} (or POST) changes the fields given, e.g.
 *       {@code {"throttleShare":0.5}}, {@code {"rejectAllStatus":11}}, {@code {"responseDelayMs":6000}},
 *       {@code {"refuseBinds":true}}, {@code {"down":true}} (stop listening; false listens again),
 *       {@code {"dropConnections":true}} (close every session once); fields not given stay as they are, and a
 *       bad field changes nothing. {@code DELETE}: every fault off (and the simulator up). Every answer is
 *       the current state.</li>
 *   <li>{@code GET /sandbox/smsc/stats}: accepted count, per-second counts, the sliding-window maximum,
 *       sessions and receipts.</li>
 * </ul>
 */
final class SimulatorHttp {

    static final String SMS_PATH = "/sandbox/sms";
    static final String FAULTS_PATH = "/sandbox/smsc/faults";
    static final String STATS_PATH = "/sandbox/smsc/stats";
    private static final String JSON = "application/json;charset=utf-8";
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FAULT_FIELDS = Set.of("throttleShare", "queueFullShare", "rejectAllStatus",
            "responseDelayMs", "refuseBinds", "down", "dropConnections");

    private final SmscSimulator simulator;
    private HttpServer server;
    private ExecutorService workers;

    private SimulatorHttp(SmscSimulator simulator) {
        this.simulator = simulator;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        workers.shutdownNow();
    }

    static SimulatorHttp start(SmscSimulator simulator, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "smsc-sim-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        SimulatorHttp api = new SimulatorHttp(simulator);
        server.createContext(SMS_PATH, api::sms);
        server.createContext(FAULTS_PATH, api::faults);
        server.createContext(STATS_PATH, api::stats);
        server.createContext("/", exchange -> {
            try (exchange) {
                sendError(exchange, 404, "no such resource");
            }
        });
        server.start();
        api.server = server;
        api.workers = workers;
        return api;
    }

    // --- /sandbox/sms ------------------------------------------------------------------------------------

    private void sms(HttpExchange exchange) throws IOException {
        // Not try-with-resources: a BadRequest is answered in the catch, before the exchange closes.
        try {
            if (!exchange.getRequestURI().getRawPath().equals(SMS_PATH)) {
                sendError(exchange, 404, "no such resource");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    String destination = normalise(queryParameter(exchange, "destination"));
                    List<Map<String, Object>> body = new ArrayList<>();
                    for (RecordedSubmit submit : simulator.submits()) {
                        if (destination == null || destination.equals(normalise(submit.destinationAddress()))) {
                            body.add(view(submit));
                        }
                    }
                    sendJson(exchange, 200, body);
                }
                case "DELETE" -> {
                    simulator.clear();
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> sendMethodNotAllowed(exchange, "GET, DELETE");
            }
        } catch (BadRequest e) {
            sendError(exchange, 400, e.getMessage());
        } finally {
            exchange.close();
        }
    }

    static Map<String, Object> view(RecordedSubmit submit) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("receivedAt", submit.receivedAt().toString());
        view.put("systemId", submit.systemId());
        view.put("sequenceNumber", submit.sequenceNumber());
        view.put("sourceAddress", submit.sourceAddress());
        view.put("destinationAddress", submit.destinationAddress());
        view.put("esmClass", submit.esmClass());
        view.put("dataCoding", submit.dataCoding());
        view.put("registeredDelivery", submit.registeredDelivery());
        view.put("destinationPort", submit.destinationPort());
        view.put("concatReference", submit.concatReference());
        view.put("concatTotal", submit.concatTotal());
        view.put("concatSequence", submit.concatSequence());
        view.put("udhHex", submit.udhHex());
        view.put("shortMessageHex", submit.shortMessageHex());
        view.put("text", submit.text());
        view.put("commandStatus", submit.commandStatus());
        view.put("messageId", submit.messageId());
        return view;
    }

    /** "+4915…", "4915…" and " 4915…" (a '+' sent unencoded in the query) all match. */
    private static String normalise(String number) {
        if (number == null) {
            return null;
        }
        String n = number.strip();
        return n.startsWith("+") ? n.substring(1) : n;
    }

    // --- /sandbox/smsc/faults ----------------------------------------------------------------------------

    private void faults(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestURI().getRawPath().equals(FAULTS_PATH)) {
                sendError(exchange, 404, "no such resource");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> { }
                case "PUT", "POST" -> apply(readBody(exchange));
                case "DELETE" -> {
                    simulator.faults().reset();
                    simulator.up();
                }
                default -> {
                    sendMethodNotAllowed(exchange, "GET, PUT, POST, DELETE");
                    return;
                }
            }
            sendJson(exchange, 200, faultsView());
        } catch (BadRequest e) {
            sendError(exchange, 400, e.getMessage());
        } finally {
            exchange.close();
        }
    }

    private Map<String, Object> faultsView() {
        SmscFaults faults = simulator.faults();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("throttleShare", faults.throttleShare());
        view.put("queueFullShare", faults.queueFullShare());
        view.put("rejectAllStatus", faults.rejectAllStatus());
        view.put("responseDelayMs", faults.responseDelay().toMillis());
        view.put("refuseBinds", faults.refuseBinds());
        view.put("down", !simulator.isUp());
        return view;
    }

    // Validates the whole body before changing anything, so a bad request changes nothing.
    private void apply(byte[] body) throws BadRequest {
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw new BadRequest("the body could not be read");
        }
        if (json == null || !json.isObject()) {
            throw new BadRequest("the body must be a JSON object such as {\"throttleShare\":0.5}");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            if (!FAULT_FIELDS.contains(names.next())) {
                throw new BadRequest("known fields: " + String.join(", ", FAULT_FIELDS.stream().sorted().toList()));
            }
        }
        Double throttle = share(json, "throttleShare");
        Double queueFull = share(json, "queueFullShare");
        Long rejectAll = integer(json, "rejectAllStatus", 0, 0xFFFF_FFFFL);
        Long delayMs = integer(json, "responseDelayMs", 0, SmscFaults.MAX_RESPONSE_DELAY.toMillis());
        Boolean refuseBinds = bool(json, "refuseBinds");
        Boolean down = bool(json, "down");
        Boolean drop = bool(json, "dropConnections");

        SmscFaults faults = simulator.faults();
        if (throttle != null) {
            faults.throttleShare(throttle);
        }
        if (queueFull != null) {
            faults.queueFullShare(queueFull);
        }
        if (rejectAll != null) {
            faults.rejectAll((int) rejectAll.longValue());
        }
        if (delayMs != null) {
            faults.responseDelay(Duration.ofMillis(delayMs));
        }
        if (refuseBinds != null) {
            faults.refuseBinds(refuseBinds);
        }
        if (Boolean.TRUE.equals(drop)) {
            faults.dropConnections();
        }
        if (down != null) {
            if (down) {
                simulator.down();
            } else {
                simulator.up();
            }
        }
    }

    // --- /sandbox/smsc/stats -----------------------------------------------------------------------------

    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getRawPath().equals(STATS_PATH)) {
                sendError(exchange, 404, "no such resource");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                sendMethodNotAllowed(exchange, "GET");
                return;
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("up", simulator.isUp());
            view.put("accepted", simulator.acceptedCount());
            view.put("maxInAnySlidingSecond", simulator.maxInAnySlidingSecond());
            view.put("submitsPerSecond", simulator.submitsPerSecond());
            view.put("openSessions", simulator.openSessions());
            view.put("boundSessions", simulator.boundSessions(null));
            view.put("receiptsSent", simulator.receiptsSent());
            view.put("receiptsDropped", simulator.receiptsDropped());
            sendJson(exchange, 200, view);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static Double share(JsonNode json, String field) throws BadRequest {
        JsonNode value = json.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 1) {
            throw new BadRequest(field + " must be a number between 0 and 1");
        }
        return value.doubleValue();
    }

    private static Long integer(JsonNode json, String field, long min, long max) throws BadRequest {
        JsonNode value = json.get(field);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong()
                || value.longValue() < min || value.longValue() > max) {
            throw new BadRequest(field + " must be an integer between " + min + " and " + max);
        }
        return value.longValue();
    }

    private static Boolean bool(JsonNode json, String field) throws BadRequest {
        JsonNode value = json.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new BadRequest(field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static String queryParameter(HttpExchange exchange, String name) throws BadRequest {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) throws BadRequest {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed percent-encoding in the query");
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException, BadRequest {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new BadRequest("request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("message", message);
        sendJson(exchange, status, error);
    }

    private static void sendMethodNotAllowed(HttpExchange exchange, String allow) throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        sendError(exchange, 405, "method not allowed here; allowed: " + allow);
    }
}
