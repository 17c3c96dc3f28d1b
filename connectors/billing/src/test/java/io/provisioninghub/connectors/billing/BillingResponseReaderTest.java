package io.provisioninghub.connectors.billing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TMF637 mapping (INT-2) on answers the simulator never gives: products a real billing system might hold
 * that the hub cannot use, and bodies that are not product lists.
 */
@ExtendWith(OutputCaptureExtension.class)
class BillingResponseReaderTest {

    private static final String MSISDN = "+15550000001";

    private final BillingResponseReader reader = new BillingResponseReader();

    @Test
    void mapsServiceCharacteristicAndStatusIgnoringEverythingElse() {
        Optional<List<BillingProduct>> products = read("""
                [{"id":"p1","status":"suspended","isBundle":false,"someVendorField":{"x":1},
                  "productCharacteristic":[{"name":"colour","value":"blue"},
                                           {"name":"service","valueType":"string","value":"ims"}],
                  "relatedParty":[{"id":"%s","role":"customer"}]}]
                """.formatted(MSISDN));

        assertThat(products).contains(List.of(new BillingProduct("p1", "ims", ProductStatus.SUSPENDED)));
    }

    @Test
    void skipsUnusableProductsWithAWarningThatNamesNoSubscriber(CapturedOutput output) {
        Optional<List<BillingProduct>> products = read("""
                [{"id":"p1","status":"active","productCharacteristic":[{"name":"service","value":"ims"}],
                  "relatedParty":[{"id":"%1$s"}]},
                 {"id":"p2","status":"dormant","productCharacteristic":[{"name":"service","value":"messaging"}],
                  "relatedParty":[{"id":"%1$s"}]},
                 {"id":"p3","status":"%1$s","productCharacteristic":[{"name":"service","value":"messaging"}]},
                 {"id":"p4","status":"active","relatedParty":[{"id":"%1$s"}]},
                 {"id":"p5","status":"active","productCharacteristic":[{"name":"service","value":{"code":"ims"}}]},
                 {"id":"p6","status":"active","productCharacteristic":[{"name":"service","value":"  "}]},
                 {"status":"active","productCharacteristic":[{"name":"service","value":"ims"}]},
                 null]
                """.formatted(MSISDN));

        assertThat(products).contains(List.of(new BillingProduct("p1", "ims", ProductStatus.ACTIVE)));
        assertThat(output.getOut())
                .contains("status 'dormant' is not a TMF637 product status")
                .contains("status (not shown) is not a TMF637 product status")
                .contains("without a textual 'service' characteristic")
                .contains("without an id")
                .doesNotContain(MSISDN.substring(1));
    }

    @Test
    void aKnownSubscriberWithOnlyUnusableProductsIsEntitledToNothing() {
        assertThat(read("[{\"id\":\"p1\",\"status\":\"retired\"}]")).contains(List.of());
    }

    @Test
    void anEmptyInventoryIsAnUnknownSubscriber() {
        assertThat(read("[]")).isEmpty();
        assertThat(read(" [ ] ")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "{}", "{\"id\":\"p1\"}", "[{\"id\":\"p1\",", "<html>+15550000001</html>",
            "[\"+15550000001\"]", "\"+15550000001\""})
    void refusesABodyThatIsNotAProductListWithoutQuotingIt(String body) {
        assertThatThrownBy(() -> read(body))
                .isInstanceOf(BillingResponseException.class)
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(MSISDN.substring(1)).doesNotContain("html"));
    }

    private Optional<List<BillingProduct>> read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }
}
