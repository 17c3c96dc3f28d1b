package io.provisioninghub.routes.rotation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** ROT-2: OPc as 3GPP TS 35.206 §4.1 defines it, checked against the conformance test data of TS 35.207 §4. */
class MilenageOpcTest {

    @ParameterizedTest(name = "TS 35.207 test set {0}")
    @CsvSource({
            "1, 465b5ce8b199b49faa5f0a2ee238a6bc, cdc202d5123e20f62b6d676ac72cb318, cd63cb71954a9f4e48a5994e37a02baf",
            "2, fec86ba6eb707ed08905757b1bb44b8f, dbc59adcb6f9a0ef735477b7fadf8374, 1006020f0a478bf6b699f15c062e42b3",
    })
    void opcMatchesTheConformanceTestData(int set, String k, String op, String opc) {
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(MilenageOpc.of(hex.parseHex(k), hex.parseHex(op)))).isEqualTo(opc);
    }
}
