package io.provisioninghub.routes.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.provisioninghub.connectors.hlr.HlrClient;
import io.provisioninghub.connectors.hlr.HlrSubscriber;
import io.provisioninghub.routes.tracing.FlowTracing;
import io.provisioninghub.routes.common.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.text.ParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a device's credential proposal and applies it (ROT-2, seed 002 §5.22.3 "it validates the device and updates
 * the device's subscription record with the new security credentials"):
 * <ol>
 *   <li>the nonce is the current one of a rotation in progress, and still fresh (replay protection: single use);</li>
 *   <li>the proposal names that rotation's IMSI, and the IMEI the HLR has for it (identity binding);</li>
 *   <li>the JWS verifies with the device key on record for that IMSI/IMEI (proof of possession);</li>
 *   <li>the JWE decrypts with the operator's key and holds a 128-bit K;</li>
 * </ol>
 * then K and OPc are written to the HLR in one transaction and the rotation is marked rotated (its result event follows,
 * {@link RotationFollowUp}). Checks 2–4 failing fail the rotation with the reason (reported in its result event); an
 * unknown, used or expired nonce changes nothing. The rotation row is locked while this runs, so two copies of one
 * proposal cannot both apply. Wire format: docs/flows/rotation.md, schemas json/rotation/credential-proposal.v1.
 */
@Service
class RotationProposals {

    static final String PROPOSAL_SCHEMA = "/json/rotation/credential-proposal.v1.schema.json";
    static final String CREDENTIAL_SCHEMA = "/json/rotation/credential.v1.schema.json";
    private static final Logger LOG = LoggerFactory.getLogger(RotationProposals.class);
    private static final Set<JWSAlgorithm> SIGNATURES = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512);
    private static final Set<JWEAlgorithm> KEY_AGREEMENTS = Set.of(JWEAlgorithm.ECDH_ES_A256KW, JWEAlgorithm.ECDH_ES);
    private static final Set<EncryptionMethod> CONTENT_ENCRYPTIONS = Set.of(EncryptionMethod.A256GCM);

    private final RotationKeys keys;
    private final DeviceKeyRegistry registry;
    private final HlrClient hlr;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final FlowTracing tracing;
    private final JsonSchema proposalSchema;
    private final JsonSchema credentialSchema;

    RotationProposals(RotationKeys keys, DeviceKeyRegistry registry, HlrClient hlr, JdbcTemplate jdbc,
                      TransactionTemplate transaction, ObjectMapper json, FlowTracing tracing) {
        this.tracing = tracing;
        this.keys = keys;
        this.registry = registry;
        this.hlr = hlr;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.json = json;
        this.proposalSchema = RotationEvents.schema(PROPOSAL_SCHEMA);
        this.credentialSchema = RotationEvents.schema(CREDENTIAL_SCHEMA);
    }

    /** What became of a proposal: the HTTP status and a reason fit for the device and the logs (no secret in it). */
    record Outcome(int status, String outcome, String reason) {
        static Outcome rotated() {
            return new Outcome(200, "rotated", null);
        }

        static Outcome refused(int status, String reason) {
            return new Outcome(status, "refused", reason);
        }

        static Outcome failed(String reason) {
            return new Outcome(403, "failed", reason);
        }
    }

    /** A proposal that passed the format checks; {@code jws} is verified later, against the key on record. */
    private record Proposal(JWSObject jws, String nonce, String imsi, String imei, String credential) {
    }

    /**
     * @param body the compact JWS as POSTed
     * @throws io.provisioninghub.connectors.hlr.HlrUnavailableException when the HLR cannot be read or written: nothing
     *                                                                     changed, the device may send the same proposal again
     */
    Outcome apply(String body) {
        Proposal proposal;
        try {
            proposal = read(body);
        } catch (Malformed malformed) {
            return Outcome.refused(400, malformed.getMessage());
        }
        return transaction.execute(status -> applyLocked(proposal));
    }

    private Outcome applyLocked(Proposal proposal) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, imsi, nonce_expires_at < now() AS expired, trace_parent "
                + "FROM rotation "
                + "WHERE nonce_hash = ? AND state = 'notified' FOR UPDATE", RotationChallenges.nonceHash(proposal.nonce()));
        if (rows.isEmpty()) {
            LOG.info("Rotation proposal refused: unknown or used nonce");
            return Outcome.refused(403, "unknown or used nonce: fetch the configuration again");
        }
        Map<String, Object> rotation = rows.get(0);
        // The rest is a span of the rotation's trace (the HLR write a child of it), not of this HTTP request's.
        return tracing.within("hub.rotation.proposal", "rotation", (String) rotation.get("trace_parent"),
                () -> applyTo(rotation, proposal));
    }

    private Outcome applyTo(Map<String, Object> rotation, Proposal proposal) {
        long id = ((Number) rotation.get("id")).longValue();
        String imsi = (String) rotation.get("imsi");
        if (Boolean.TRUE.equals(rotation.get("expired"))) {
            LOG.info("Rotation {} of {}: proposal with an expired nonce refused", id, Redaction.ref(imsi));
            return Outcome.refused(403, "nonce expired: fetch the configuration again");
        }
        if (!imsi.equals(proposal.imsi())) {
            return fail(id, imsi, null, "the proposal names another subscriber than the nonce's");
        }
        Optional<HlrSubscriber> subscriber = hlr.findByImsi(imsi);
        if (subscriber.isEmpty()) {
            return fail(id, imsi, null, "unknown subscriber");
        }
        if (proposal.imei() != null && subscriber.get().imei() != null && !proposal.imei().equals(subscriber.get().imei())) {
            return fail(id, imsi, null, "the proposal's IMEI is not the subscriber's device in the HLR");
        }
        Optional<DeviceKeyRegistry.KeyOnRecord> key = registry.keyFor(imsi, proposal.imei());
        if (key.isEmpty()) {
            return fail(id, imsi, null, "no device key on record for this IMSI/IMEI");
        }
        String thumbprint = key.get().thumbprint();
        String kid = proposal.jws().getHeader().getKeyID();
        if (kid != null && !kid.equals(thumbprint)) {
            return fail(id, imsi, thumbprint, "signed with another key than the device key on record");
        }
        if (!verifies(proposal.jws(), key.get().jwk())) {
            return fail(id, imsi, thumbprint, "the signature does not verify with the device key on record");
        }
        byte[] k;
        try {
            k = decryptK(proposal.credential());
        } catch (Malformed malformed) {
            return fail(id, imsi, thumbprint, malformed.getMessage());
        }
        byte[] opc = keys.opcFor(k);
        try {
            // The HLR's own transaction, while this rotation's row stays locked: if the hub's commit then fails, the
            // rotation is still in progress with the same nonce, and the device's retry writes the same K again.
            if (!hlr.updateCredential(imsi, HexFormat.of().formatHex(k), HexFormat.of().formatHex(opc))) {
                return fail(id, imsi, thumbprint, "unknown subscriber");
            }
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(opc, (byte) 0);
        }
        jdbc.update("UPDATE rotation SET state = 'rotated', nonce_hash = NULL, device_key = ?, rotated_at = now(), "
                + "updated_at = now() WHERE id = ?", thumbprint, id);
        LOG.info("Rotation {} of {}: new K and OPc written to the HLR (device key {})", id, Redaction.ref(imsi), thumbprint);
        return Outcome.rotated();
    }

    private Outcome fail(long id, String imsi, String thumbprint, String reason) {
        // The nonce is spent either way: a refused proposal is not tried again with the same nonce.
        jdbc.update("UPDATE rotation SET state = 'failed', failure_reason = ?, nonce_hash = NULL, device_key = ?, "
                + "updated_at = now() WHERE id = ?", reason, thumbprint, id);
        LOG.warn("Rotation {} of {} failed: {}", id, Redaction.ref(imsi), reason);
        return Outcome.failed(reason);
    }

    private Proposal read(String body) throws Malformed {
        if (body == null || body.isBlank()) {
            throw new Malformed("empty body: a compact JWS is expected");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(body.trim());
        } catch (ParseException e) {
            throw new Malformed("not a compact JWS (RFC 7515)");
        }
        if (!SIGNATURES.contains(jws.getHeader().getAlgorithm())) {
            throw new Malformed("signature algorithm not accepted: ES256/384/512, PS256/384/512 or RS256/384/512");
        }
        JsonNode payload;
        try {
            payload = json.readTree(jws.getPayload().toString());
        } catch (JsonProcessingException e) {
            throw new Malformed("the JWS payload is not JSON");
        }
        Set<ValidationMessage> problems = proposalSchema.validate(payload);
        if (!problems.isEmpty()) {
            throw new Malformed("the JWS payload does not match credential-proposal.v1: " + RotationEvents.problems(problems));
        }
        return new Proposal(jws, payload.get("nonce").asText(), payload.get("imsi").asText(),
                payload.hasNonNull("imei") ? payload.get("imei").asText() : null, payload.get("credential").asText());
    }

    private static boolean verifies(JWSObject jws, JWK key) {
        try {
            JWSVerifier verifier;
            if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(jws.getHeader().getAlgorithm())) {
                verifier = new ECDSAVerifier(ec);
            } else if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(jws.getHeader().getAlgorithm())) {
                verifier = new RSASSAVerifier(rsa);
            } else {
                return false;  // the algorithm does not fit the key on record
            }
            return jws.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private byte[] decryptK(String credential) throws Malformed {
        JWEObject jwe;
        try {
            jwe = JWEObject.parse(credential);
        } catch (ParseException e) {
            throw new Malformed("the credential is not a compact JWE (RFC 7516)");
        }
        if (!KEY_AGREEMENTS.contains(jwe.getHeader().getAlgorithm())
                || !CONTENT_ENCRYPTIONS.contains(jwe.getHeader().getEncryptionMethod())) {
            throw new Malformed("credential encryption not accepted: ECDH-ES+A256KW or ECDH-ES with A256GCM");
        }
        try {
            jwe.decrypt(new ECDHDecrypter(keys.encryptionKey()));
        } catch (JOSEException | IllegalStateException e) {
            throw new Malformed("the credential does not decrypt with the operator's key");
        }
        JsonNode plaintext;
        try {
            plaintext = json.readTree(jwe.getPayload().toString());
        } catch (JsonProcessingException e) {
            throw new Malformed("the credential's plaintext is not JSON");
        }
        if (plaintext == null || !credentialSchema.validate(plaintext).isEmpty()) {
            throw new Malformed("the credential's plaintext is not a credential.v1 (K of 128 bits in hex)");
        }
        return HexFormat.of().parseHex(plaintext.get("k").asText());
    }

    /** A proposal that cannot be read; the message says what, never the content. */
    private static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }
}
