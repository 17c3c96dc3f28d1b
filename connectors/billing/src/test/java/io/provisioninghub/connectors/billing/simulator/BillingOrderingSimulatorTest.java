package io.provisioninghub.connectors.billing.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.connectors.billing.TestPostgres;
import io.provisioninghub.connectors.billing.simulator.BillingFaults.OrderStep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stand-in's plans (TMF620) and product orders (TMF622) over real HTTP, on its own real PostgreSQL
 * database (INT-2: create and cancel subscriptions; SIGNUP-2/3). The wire shapes here are what a real billing
 * system would be asked for, so they are checked field by field.
 */
@ExtendWith(OutputCaptureExtension.class)
class BillingOrderingSimulatorTest {

    private static final String OFFERINGS = "/tmf-api/productCatalogManagement/v4/productOffering";
    private static final String ORDERS = "/tmf-api/productOrdering/v4/productOrder";
    private static final String PRODUCTS = "/tmf-api/productInventory/v4/product";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    static String jdbcUrl;
    static BillingSimulator simulator;
    static HttpClient http;

    @BeforeAll
    static void start() {
        jdbcUrl = TestPostgres.newDatabase("billing_ordering");
        simulator = BillingSimulator.start(settings());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    static void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @AfterEach
    void clearFaults() {
        simulator.faults().reset();
    }

    static BillingSimulatorSettings settings() {
        return BillingSimulatorSettings.of(0, jdbcUrl, TestPostgres.server().username(), "");
    }

    // --- TMF620 catalogue -------------------------------------------------------------------------------------

    // SIGNUP-2: the plans, as TMF620 ProductOfferings
    @Test
    void listsThePlansAsTmf620ProductOfferings() throws Exception {
        HttpResponse<String> response = send("GET", OFFERINGS, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Total-Count")).hasValue("3");
        JsonNode plans = JSON.readTree(response.body());
        assertThat(plans).hasSize(3);
        JsonNode complete = plans.get(2);
        assertThat(complete.get("id").asText()).isEqualTo("band-complete");
        assertThat(complete.get("href").asText()).isEqualTo(simulator.baseUrl() + OFFERINGS + "/band-complete");
        assertThat(complete.get("name").asText()).isEqualTo("Band Complete");
        assertThat(complete.get("description").asText()).contains("IMS").contains("RCS");
        assertThat(complete.get("isBundle").asBoolean()).isTrue();
        assertThat(complete.get("isSellable").asBoolean()).isTrue();
        assertThat(complete.get("lifecycleStatus").asText()).isEqualTo("Launched");
        assertThat(complete.get("bundledProductOffering").findValuesAsText("id")).containsExactly("ims", "messaging");
        JsonNode services = complete.get("prodSpecCharValueUse").get(0);
        assertThat(services.get("name").asText()).isEqualTo("service");
        assertThat(services.get("productSpecCharacteristicValue").findValuesAsText("value"))
                .containsExactly("ims", "messaging");
        JsonNode price = complete.get("productOfferingPrice").get(0);
        assertThat(price.get("priceType").asText()).isEqualTo("recurring");
        assertThat(price.get("recurringChargePeriodType").asText()).isEqualTo("month");
        assertThat(price.get("price").get("unit").asText()).isEqualTo("USD");
        assertThat(price.get("price").get("value").decimalValue()).isEqualByComparingTo("9.99");
        assertThat(complete.get("@type").asText()).isEqualTo("ProductOffering");
    }

    @Test
    void servesOnePlanAnd404ForAnUnknownOne() throws Exception {
        HttpResponse<String> voice = send("GET", OFFERINGS + "/band-voice", null);
        assertThat(voice.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(voice.body()).get("name").asText()).isEqualTo("Band Voice");

        assertError(send("GET", OFFERINGS + "/band-gold", null), 404);
        assertError(send("GET", OFFERINGS + "?lifecycleStatus=Launched", null), 400);
        assertError(send("POST", OFFERINGS, "{}"), 405);
    }

    // --- TMF622 create ------------------------------------------------------------------------------------------

    // INT-2: an add order completes at once and creates the plan's products in the TMF637 inventory
    @Test
    void anAddOrderCreatesThePlansProducts() throws Exception {
        String msisdn = newNumber();
        String key = newKey();

        HttpResponse<String> response = send("POST", ORDERS, addOrder(key, "band-complete", msisdn).toString());

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode order = JSON.readTree(response.body());
        String id = order.get("id").asText();
        assertThat(response.headers().firstValue("Location")).hasValue(simulator.baseUrl() + ORDERS + "/" + id);
        assertThat(order.get("href").asText()).isEqualTo(simulator.baseUrl() + ORDERS + "/" + id);
        assertThat(order.get("externalId").asText()).isEqualTo(key);
        assertThat(order.get("state").asText()).isEqualTo("completed");
        assertThat(order.get("orderDate").asText()).isNotBlank();
        assertThat(order.get("completionDate").asText()).isNotBlank();
        assertThat(order.get("@type").asText()).isEqualTo("ProductOrder");
        JsonNode item = order.get("productOrderItem").get(0);
        assertThat(item.get("action").asText()).isEqualTo("add");
        assertThat(item.get("state").asText()).isEqualTo("completed");
        assertThat(item.get("productOffering").get("id").asText()).isEqualTo("band-complete");
        assertThat(item.get("product").get("productCharacteristic").get(0).get("value").asText()).isEqualTo(msisdn);
        JsonNode bundled = item.get("productOrderItem");
        assertThat(bundled).hasSize(2);
        assertThat(bundled.findValuesAsText("action")).containsOnly("add");
        List<String> productIds = new ArrayList<>();
        for (JsonNode b : bundled) {
            productIds.add(b.get("product").get("id").asText());
            assertThat(b.get("product").get("href").asText()).endsWith(PRODUCTS + "/" + b.get("product").get("id").asText());
        }
        JsonNode customer = order.get("relatedParty").get(0);
        assertThat(customer.get("role").asText()).isEqualTo("customer");
        assertThat(customer.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(customer.get("contactMedium").get(0).get("characteristic").get("emailAddress").asText())
                .isEqualTo("ada@example.org");

        JsonNode products = JSON.readTree(send("GET", PRODUCTS + "?relatedParty.id=%2B" + msisdn.substring(1), null).body());
        List<String> inventoryIds = new ArrayList<>();
        for (JsonNode p : products) {
            inventoryIds.add(p.get("id").asText());
            assertThat(p.get("status").asText()).isEqualTo("active");
        }
        assertThat(inventoryIds).containsExactlyElementsOf(productIds);

        JsonNode byId = JSON.readTree(send("GET", ORDERS + "/" + id, null).body());
        assertThat(byId).isEqualTo(order);
        JsonNode byKey = JSON.readTree(send("GET", ORDERS + "?externalId=" + key, null).body());
        assertThat(byKey).hasSize(1);
        assertThat(byKey.get(0)).isEqualTo(order);
    }

    // INT-2: the same externalId twice → 200 with the existing order, never a second subscription
    @Test
    void theSameExternalIdAnswersTheExistingOrder() throws Exception {
        String msisdn = newNumber();
        String body = addOrder(newKey(), "band-voice", msisdn).toString();

        HttpResponse<String> first = send("POST", ORDERS, body);
        HttpResponse<String> second = send("POST", ORDERS, body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(second.body())).isEqualTo(JSON.readTree(first.body()));
        assertThat(JSON.readTree(send("GET", PRODUCTS + "?relatedParty.id=%2B" + msisdn.substring(1), null).body()))
                .hasSize(1);
    }

    @Test
    void refusesAnExternalIdReusedForADifferentOrderAndASubscribedNumber() throws Exception {
        String key = newKey();
        assertThat(send("POST", ORDERS, addOrder(key, "band-voice", newNumber()).toString()).statusCode()).isEqualTo(201);

        assertError(send("POST", ORDERS, addOrder(key, "band-voice", newNumber()).toString()), 409);
        assertError(send("POST", ORDERS, addOrder(newKey(), "band-voice", "+15550000002").toString()), 409);
        // A terminated subscriber's number may be sold again.
        assertThat(send("POST", ORDERS, addOrder(newKey(), "band-voice", "+15550000005").toString()).statusCode())
                .isEqualTo(201);
    }

    // INT-2: bad orders → 400 with a TMF error that quotes none of the customer's data
    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[]",
            "{}",
            "{'productOrderItem':[{'action':'add','productOffering':{'id':'band-voice'}}]}",
            "{'externalId':'','productOrderItem':[]}",
            "{'externalId':'k1','productOrderItem':[]}",
            "{'externalId':'k1','productOrderItem':['x']}",
            "{'externalId':'k1','productOrderItem':[{'action':'modify'}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add'},{'action':'delete','product':{'id':'1'}}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','productOffering':{'id':'band-voice'}},{'action':'add','productOffering':{'id':'band-voice'}}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','productOffering':{'id':'band-gold'},'product':{'productCharacteristic':[{'name':'msisdn','value':'+17779999999'}]}}],'relatedParty':[{'role':'customer','name':'Ada Lovelace'}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','product':{'productCharacteristic':[{'name':'msisdn','value':'+17779999999'}]}}],'relatedParty':[{'role':'customer','name':'Ada Lovelace'}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','productOffering':{'id':'band-voice'}}],'relatedParty':[{'role':'customer','name':'Ada Lovelace'}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','productOffering':{'id':'band-voice'},'product':{'productCharacteristic':[{'name':'msisdn','value':'17779999999'}]}}],'relatedParty':[{'role':'customer','name':'Ada Lovelace'}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','quantity':2,'productOffering':{'id':'band-voice'},'product':{'productCharacteristic':[{'name':'msisdn','value':'+17779999999'}]}}],'relatedParty':[{'role':'customer','name':'Ada Lovelace'}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','productOffering':{'id':'band-voice'},'product':{'productCharacteristic':[{'name':'msisdn','value':'+17779999999'}]}}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','productOffering':{'id':'band-voice'},'product':{'productCharacteristic':[{'name':'msisdn','value':'+17779999999'}]}}],'relatedParty':[{'role':'customer','name':'  '}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'add','productOffering':{'id':'band-voice'},'product':{'productCharacteristic':[{'name':'msisdn','value':'+17779999999'}]}}],'relatedParty':[{'role':'customer','name':'Ada Lovelace','contactMedium':[{'mediumType':'email','characteristic':{'emailAddress':'ada at example'}}]}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'delete','product':{'id':'x'}}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'delete','product':{'id':'999999999'}}]}",
            "{'externalId':'k1','productOrderItem':[{'action':'delete','product':{'id':'1'}},{'action':'delete','product':{'id':'1'}}]}"})
    void refusesABadOrderWith400(String order) throws Exception {
        HttpResponse<String> response = send("POST", ORDERS, order.replace('\'', '"'));

        assertError(response, 400);
        assertThat(response.body()).doesNotContain("Lovelace").doesNotContain("7779999999")
                .doesNotContain("ada at example").doesNotContain("Exception");
        // Nothing was created under the key.
        assertThat(JSON.readTree(send("GET", ORDERS + "?externalId=k1", null).body())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PUT    | /tmf-api/productOrdering/v4/productOrder      | 405",
            "DELETE | /tmf-api/productOrdering/v4/productOrder/1    | 405",
            "GET    | /tmf-api/productOrdering/v4/productOrder      | 400",
            "GET    | /tmf-api/productOrdering/v4/productOrder?externalId=a&externalId=b | 400",
            "GET    | /tmf-api/productOrdering/v4/productOrder?state=completed | 400",
            "GET    | /tmf-api/productOrdering/v4/productOrder/999999 | 404",
            "GET    | /tmf-api/productOrdering/v4/productOrder/abc  | 404",
            "GET    | /tmf-api/productOrdering/v4/productOrderXyz   | 404"})
    void answersOtherRequestsWithTmfErrors(String method, String path, int status) throws Exception {
        assertError(send(method, path, method.equals("PUT") ? "{}" : null), status);
    }

    @Test
    void refusesANonJsonOrder() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + ORDERS))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertError(response, 415);
    }

    @Test
    void findsNothingForAnUnknownExternalId() throws Exception {
        HttpResponse<String> response = send("GET", ORDERS + "?externalId=" + newKey(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEmpty();
        assertThat(response.headers().firstValue("X-Total-Count")).hasValue("0");
    }

    // --- TMF622 delete (the end of a subscription) ------------------------------------------------------------

    // INT-2: a delete order terminates the products; the same externalId again is the same cancellation
    @Test
    void aDeleteOrderTerminatesTheProducts() throws Exception {
        String msisdn = newNumber();
        JsonNode created = JSON.readTree(send("POST", ORDERS, addOrder(newKey(), "band-complete", msisdn).toString()).body());
        List<String> productIds = new ArrayList<>();
        for (JsonNode bundled : created.get("productOrderItem").get(0).get("productOrderItem")) {
            productIds.add(bundled.get("product").get("id").asText());
        }
        assertThat(productIds).hasSize(2);
        String deleteKey = newKey();

        HttpResponse<String> first = send("POST", ORDERS, deleteOrder(deleteKey, productIds).toString());
        HttpResponse<String> again = send("POST", ORDERS, deleteOrder(deleteKey, productIds).toString());

        assertThat(first.statusCode()).isEqualTo(201);
        JsonNode order = JSON.readTree(first.body());
        assertThat(order.get("state").asText()).isEqualTo("completed");
        assertThat(order.get("productOrderItem").findValuesAsText("action")).containsOnly("delete");
        assertThat(order.has("relatedParty")).isFalse();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("id")).isEqualTo(order.get("id"));
        JsonNode products = JSON.readTree(send("GET", PRODUCTS + "?relatedParty.id=%2B" + msisdn.substring(1), null).body());
        assertThat(products.findValuesAsText("status")).containsOnly("terminated");
        // The same key naming other products is a different order.
        assertError(send("POST", ORDERS, deleteOrder(deleteKey, productIds.subList(0, 1)).toString()), 409);
    }

    // --- order faults -----------------------------------------------------------------------------------------

    // SIGNUP-2: an injected order failure answers the status and creates nothing; other requests are served
    @Test
    void aFailedOrderCreatesNothing() throws Exception {
        String key = newKey();
        String msisdn = newNumber();
        simulator.faults().failNextOrders(OrderStep.CREATE, 1, 503);

        assertError(send("POST", ORDERS, deleteOrder(newKey(), List.of("999999999")).toString()), 400); // not a create
        assertThat(simulator.faults().orderFaultsRemaining(OrderStep.CREATE)).isEqualTo(1);
        HttpResponse<String> failed = send("POST", ORDERS, addOrder(key, "band-voice", msisdn).toString());

        assertError(failed, 503);
        assertThat(failed.body()).contains("injected fault");
        assertThat(JSON.readTree(send("GET", ORDERS + "?externalId=" + key, null).body())).isEmpty();
        assertThat(send("POST", ORDERS, addOrder(key, "band-voice", msisdn).toString()).statusCode()).isEqualTo(201);
    }

    // SIGNUP-2, the hard case: the order is carried out, the connection dropped without an answer
    @Test
    void aLostAnswerLeavesTheOrderCarriedOut() throws Exception {
        String key = newKey();
        simulator.faults().loseNextOrderResponses(OrderStep.CREATE, 1);

        assertThatThrownBy(() -> send("POST", ORDERS, addOrder(key, "band-voice", newNumber()).toString()))
                .isInstanceOf(IOException.class);

        JsonNode found = JSON.readTree(send("GET", ORDERS + "?externalId=" + key, null).body());
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("state").asText()).isEqualTo("completed");
    }

    @Test
    void setsOrderFaultsOverHttp() throws Exception {
        HttpResponse<String> set = send("PUT", "/sandbox/faults",
                "{\"createOrderFault\":{\"count\":2,\"status\":502},\"cancelOrderFault\":{\"count\":1,\"lostResponse\":true}}");

        assertThat(set.statusCode()).isEqualTo(200);
        JsonNode shown = JSON.readTree(set.body());
        assertThat(shown.get("createOrderFault").get("count").asInt()).isEqualTo(2);
        assertThat(shown.get("createOrderFault").get("status").asInt()).isEqualTo(502);
        assertThat(shown.get("cancelOrderFault").get("lostResponse").asBoolean()).isTrue();
        assertThat(simulator.faults().orderFaultsRemaining(OrderStep.CREATE)).isEqualTo(2);
        assertThat(simulator.faults().orderFaultLosesResponse(OrderStep.CANCEL)).isTrue();

        assertError(send("PUT", "/sandbox/faults", "{\"createOrderFault\":{\"count\":1}}"), 400);
        assertError(send("PUT", "/sandbox/faults", "{\"createOrderFault\":{\"count\":1,\"status\":200}}"), 400);
        assertError(send("PUT", "/sandbox/faults", "{\"createOrderFault\":{\"count\":1,\"status\":503,\"lostResponse\":true}}"), 400);
        assertThat(simulator.faults().orderFaultStatus(OrderStep.CREATE)).isEqualTo(502); // unchanged by bad requests

        JsonNode cleared = JSON.readTree(send("DELETE", "/sandbox/faults", null).body());
        assertThat(cleared.get("createOrderFault").get("count").asInt()).isZero();
        assertThat(cleared.get("cancelOrderFault").get("count").asInt()).isZero();
    }

    // --- persistence, privacy ---------------------------------------------------------------------------------

    // Orders live in the stand-in's database: a restart keeps them, and their keys still dedupe
    @Test
    void ordersSurviveARestart() throws Exception {
        String key = newKey();
        String body = addOrder(key, "band-messaging", newNumber()).toString();
        assertThat(send("POST", ORDERS, body).statusCode()).isEqualTo(201);

        try (BillingSimulator other = BillingSimulator.start(settings())) {
            HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create(other.baseUrl() + ORDERS))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(replay.body()).get("externalId").asText()).isEqualTo(key);
        }
    }

    @Test
    void logsNoCustomerData(CapturedOutput output) throws Exception {
        String msisdn = newNumber();
        send("POST", ORDERS, addOrder(newKey(), "band-voice", msisdn).toString());
        send("POST", ORDERS, addOrder(newKey(), "band-voice", msisdn).toString()); // 409
        simulator.faults().loseNextOrderResponses(OrderStep.CREATE, 1);
        try {
            send("POST", ORDERS, addOrder(newKey(), "band-messaging", newNumber()).toString());
        } catch (IOException expected) {
            // the answer is lost on purpose
        }

        assertThat(output.getAll()).doesNotContain(msisdn.substring(1)).doesNotContain("Lovelace")
                .doesNotContain("ada@example.org");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static ObjectNode addOrder(String key, String plan, String msisdn) {
        ObjectNode order = JSON.createObjectNode();
        order.put("externalId", key);
        ObjectNode item = order.putArray("productOrderItem").addObject();
        item.put("id", "1");
        item.put("action", "add");
        item.put("quantity", 1);
        item.putObject("productOffering").put("id", plan);
        ObjectNode msisdnCharacteristic = item.putObject("product").putArray("productCharacteristic").addObject();
        msisdnCharacteristic.put("name", "msisdn");
        msisdnCharacteristic.put("value", msisdn);
        ObjectNode customer = order.putArray("relatedParty").addObject();
        customer.put("role", "customer");
        customer.put("name", "Ada Lovelace");
        ObjectNode email = customer.putArray("contactMedium").addObject();
        email.put("mediumType", "email");
        email.putObject("characteristic").put("emailAddress", "ada@example.org");
        order.put("@type", "ProductOrder");
        return order;
    }

    private static ObjectNode deleteOrder(String key, List<String> productIds) {
        ObjectNode order = JSON.createObjectNode();
        order.put("externalId", key);
        for (String id : productIds) {
            ObjectNode item = order.withArray("productOrderItem").addObject();
            item.put("action", "delete");
            item.putObject("product").put("id", id);
        }
        return order;
    }

    private static String newNumber() {
        return "+1778" + (1_000_000 + NUMBERS.incrementAndGet());
    }

    private static String newKey() {
        return "sim-" + UUID.randomUUID();
    }

    private static HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(5));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("code").asText()).isEqualTo(Integer.toString(status));
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("@type").asText()).isEqualTo("Error");
    }
}
