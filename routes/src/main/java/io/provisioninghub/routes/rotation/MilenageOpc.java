package io.provisioninghub.routes.rotation;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * OPc of MILENAGE (3GPP TS 35.206 §4.1): {@code OPc = OP ⊕ E_K(OP)}, E being AES-128 (Rijndael with a 128-bit block and
 * key). The HLR stores OPc rather than OP so that the operator's OP never sits next to each subscriber's K; the hub
 * computes it when it writes a rotated K (ROT-2). Verified against the TS 35.207 test sets.
 */
final class MilenageOpc {

    private MilenageOpc() {
    }

    static byte[] of(byte[] k, byte[] op) {
        if (k.length != 16 || op.length != 16) {
            throw new IllegalArgumentException("K and OP are 128 bits");
        }
        try {
            // One block, no chaining: ECB of a single 16-byte block is exactly the block cipher E_K.
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
            byte[] opc = aes.doFinal(op);
            for (int i = 0; i < opc.length; i++) {
                opc[i] ^= op[i];
            }
            return opc;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is mandatory in every JRE", e);
        }
    }
}
