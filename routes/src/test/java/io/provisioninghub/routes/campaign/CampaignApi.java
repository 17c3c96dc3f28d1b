package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.Subscribers;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The campaign operator API over HTTPS on the operator plane, as an operator's tool would call it (tests only): with
 * an access token of the sandbox's {@code security} client (campaigns need the role security or admin).
 */
final class CampaignApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorClient client;

    CampaignApi(HubInstance hub) {
        this.client = hub.operator("security");
    }

    /** A POST of JSON, or with no body when {@code body} is null. */
    HttpResponse<String> post(String path, String body) {
        return client.postJson(path, body);
    }

    HttpResponse<String> get(String path) {
        return client.get(path);
    }

    /** The operator client underneath (its token, its operator-port URIs). */
    OperatorClient client() {
        return client;
    }

    /** Starts a campaign and returns its id (asserting 201). */
    long start(String body) {
        HttpResponse<String> response = post("/operator/v1/campaigns", body);
        if (response.statusCode() != 201) {
            throw new AssertionError("campaign not started: " + response.statusCode() + " " + response.body());
        }
        return read(response.body()).get("id").asLong();
    }

    JsonNode campaign(long id) {
        HttpResponse<String> response = get("/operator/v1/campaigns/" + id);
        if (response.statusCode() != 200) {
            throw new AssertionError("campaign " + id + ": " + response.statusCode() + " " + response.body());
        }
        return read(response.body());
    }

    /** Waits until the campaign satisfies the condition; returns its last view. */
    JsonNode await(long id, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = campaign(id);
        while (!condition.test(view)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("campaign " + id + " did not get there within " + timeout + ": " + view);
            }
            sleep(100);
            view = campaign(id);
        }
        return view;
    }

    static long count(JsonNode view, String deviceState) {
        return view.path("devices").path(deviceState).asLong();
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static List<Subscribers> subscribers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Subscribers::generated).collect(Collectors.toList());
    }

    static String listBody(String kind, List<String> imsis, int rate, String reason) {
        List<String> quoted = new ArrayList<>();
        imsis.forEach(imsi -> quoted.add("\"" + imsi + "\""));
        return "{\"kind\":\"" + kind + "\",\"selection\":{\"imsis\":[" + String.join(",", quoted) + "]},"
                + "\"smsRatePerSecond\":" + rate + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
    }

    static String rangeBody(String kind, Subscribers from, Subscribers to, int rate) {
        return "{\"kind\":\"" + kind + "\",\"selection\":{\"imsiRange\":{\"from\":\"" + from.imsi() + "\",\"to\":\""
                + to.imsi() + "\"}},\"smsRatePerSecond\":" + rate + "}";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
