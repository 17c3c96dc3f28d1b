package io.provisioninghub.connectors.deviceidentity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SIGNUP-1: the IMEI check digit (3GPP TS 23.003 Annex B) the device certificate profile requires. */
class ImeiTest {

    @Test
    void signup1_theCheckDigitOfKnownImeis() {
        // TS 23.003 Annex B's example: IMEI 35 209900 176148, check digit 1.
        assertThat(Imei.withCheckDigit("35209900176148")).isEqualTo("352099001761481");
        assertThat(Imei.isValid("352099001761481")).isTrue();
        assertThat(Imei.isValid("490154203237518")).isTrue();
        assertThat(Imei.isValid("000000000000000")).isTrue();
    }

    @Test
    void signup1_aWrongDigitLengthOrCharacterIsInvalid() {
        for (int digit = 0; digit <= 9; digit++) {
            if (digit != 1) {
                assertThat(Imei.isValid("35209900176148" + digit)).as("check digit %d", digit).isFalse();
            }
        }
        assertThat(Imei.isValid("352099001761418")).as("two digits swapped").isFalse();
        assertThat(Imei.isValid("35209900176148")).isFalse();
        assertThat(Imei.isValid("3520990017614811")).isFalse();
        assertThat(Imei.isValid("35209900176148a")).isFalse();
        assertThat(Imei.isValid("35209900176148١")).as("a non-ASCII digit").isFalse();
        assertThat(Imei.isValid(null)).isFalse();
        assertThatThrownBy(() -> Imei.withCheckDigit("123")).isInstanceOf(IllegalArgumentException.class);
    }
}
