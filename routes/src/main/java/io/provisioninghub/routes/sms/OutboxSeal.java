package io.provisioninghub.routes.sms;

import io.provisioninghub.routes.common.HubSecretKey;
import org.springframework.stereotype.Component;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Keeps an SMS's text (an OTP, a trigger) encrypted while it waits in Artemis: AES-256-GCM with a key derived from
 * the hub's secret, a random 96-bit nonce per message, and the SMS's reference as associated data (a sealed text
 * cannot be moved to another message). The journal, the dead-letter queue and a broker admin console then hold no
 * OTP in clear. Changing hub.otp.hash-key makes the SMS waiting at that moment unreadable: they are dead-lettered.
 */
@Component
class OutboxSeal {

    private static final String PURPOSE = "sms-outbox/aes-256-gcm/v1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;

    private final SecretKeySpec key;

    OutboxSeal(HubSecretKey secret) {
        this.key = new SecretKeySpec(secret.derive(PURPOSE), "AES");
    }

    String seal(UUID reference, String text) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(reference.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is mandatory in every JRE", e);
        }
    }

    /** @throws IllegalArgumentException when the text was sealed under another key, for another SMS, or altered */
    String open(UUID reference, String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
            cipher.updateAAD(reference.toString().getBytes(StandardCharsets.US_ASCII));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("the SMS text does not open with this hub's key", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the SMS text is not a sealed text", e);
        }
    }
}
