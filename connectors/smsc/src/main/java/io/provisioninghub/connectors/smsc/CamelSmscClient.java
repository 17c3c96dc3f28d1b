package io.provisioninghub.connectors.smsc;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.smpp.Smpp8BitSplitter;
import org.apache.camel.component.smpp.SmppConstants;
import org.apache.camel.component.smpp.SmppDefaultSplitter;
import org.apache.camel.component.smpp.SmppSplittingPolicy;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link SmscClient} over {@link SmscRoutes} (INT-3): {@link SmsEncoder} makes the segments, and each goes as
 * one exchange, hence one submit_sm, through the one camel-smpp session, on the caller's thread.
 *
 * <h2>Handing octets to camel-smpp unchanged</h2>
 * camel-smpp encodes the body itself unless told otherwise. With data_coding 0x08 it reads a {@code byte[]}
 * body as a String and re-encodes it as UTF-16BE; measured at the simulator, the UDH {@code 06 05 04 91 99 00 00}
 * arrived as {@code 0006 0005 0004 FFFD FFFD 0000 0000}. So every exchange carries:
 * <ul>
 *   <li>the body: the segment's octets as an ISO-8859-1 string (one char per octet), with
 *       {@code CamelSmppEncoding=ISO-8859-1}, which turns it back into exactly those octets;</li>
 *   <li>{@code CamelSmppDataCoding} and {@code CamelSmppAlphabet}: the segment's data_coding;</li>
 *   <li>{@code CamelSmppClass}: an {@link ESMClass} with the segment's esm_class (UDHI when there is a UDH);</li>
 *   <li>{@code CamelSmppSplitter} + {@code CamelSmppSplittingPolicy=REJECT}: a splitter whose limit the
 *       segment fits (8-bit: 140 octets; data_coding 0: 160), so camel-smpp never adds its own
 *       concatenation UDH, and refuses rather than splits should a segment ever be too long.</li>
 * </ul>
 * The simulator's tests check the octets where they arrive, on the SMSC side of the TCP connection.
 *
 * <h2>Failures</h2>
 * command_status 0x58 ESME_RTHROTTLED and 0x14 ESME_RMSGQFUL: {@link SmscThrottledException}; any other
 * status: {@link SmscRejectedException}; no bound session, I/O error, no answer within the transaction timer:
 * {@link SmscUnavailableException}. A multi-segment SMS that fails after some segments were accepted says
 * how many in the message: a retry sends the whole SMS again (with a new concatenation reference).
 * Exception messages and causes never carry the text or the destination: jSMPP's PDUStringException quotes
 * the offending value, so it is never kept as a cause, nor is any cause but jSMPP's status, timeout and I/O
 * exceptions.
 */
public final class CamelSmscClient implements SmscClient {

    private static final String ISO_8859_1 = StandardCharsets.ISO_8859_1.name();
    private static final String REJECT = SmppSplittingPolicy.REJECT.name();

    private final ProducerTemplate producerTemplate;
    private final SmsEncoder encoder;
    private final SmscSessionSupervisor session;
    private final Duration bindWait;
    // Resolved on first use: the CamelContext may not be started when this bean is created.
    private volatile Endpoint submitEndpoint;

    /**
     * @param bindWait longest wait for a bind under way when no session is bound (the transaction timer)
     */
    public CamelSmscClient(ProducerTemplate producerTemplate, SmsEncoder encoder, SmscSessionSupervisor session,
                           Duration bindWait) {
        this.producerTemplate = producerTemplate;
        this.encoder = encoder;
        this.session = session;
        this.bindWait = bindWait;
    }

    @Override
    public List<String> submit(SmsMessage message) {
        Objects.requireNonNull(message, "message");
        String destination = smppAddress(message.destination());
        List<SmsSegment> segments = encoder.encode(message.content());
        if (!session.awaitBound(bindWait)) {
            throw new SmscUnavailableException("no bound SMPP session to the SMSC (down, refusing the bind, or "
                    + "binding again); SMS " + message.reference() + " not sent", -1, null);
        }
        Endpoint endpoint = endpoint();
        List<String> messageIds = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            SmsSegment segment = segments.get(i);
            Exchange result = producerTemplate.send(endpoint, exchange -> prepare(exchange.getIn(), destination, segment));
            Throwable failure = result.getException();
            if (failure != null) {
                // Should camel-smpp have bound on this thread (a race with a lost session) and the bind been
                // given up, the supervisor interrupted it: that must not reach the caller's next blocking call.
                session.clearBindInterrupt();
                throw failure(failure, message.reference(), i, segments.size());
            }
            messageIds.add(messageId(result.getMessage()));
        }
        return messageIds;
    }

    /** Whether a session is bound now; see {@link SmscSessionSupervisor#isBound()}. */
    public boolean isBound() {
        return session.isBound();
    }

    static void prepare(Message in, String destination, SmsSegment segment) {
        byte[] octets = segment.shortMessage();
        in.setHeader(SmppConstants.COMMAND, "SubmitSm");
        in.setHeader(SmppConstants.DEST_ADDR, destination);
        in.setHeader(SmppConstants.DATA_CODING, segment.dataCoding());
        in.setHeader(SmppConstants.ALPHABET, segment.dataCoding());
        in.setHeader(SmppConstants.ENCODING, ISO_8859_1);
        in.setHeader(SmppConstants.ESM_CLASS, new ESMClass(segment.esmClass()));
        in.setHeader(SmppConstants.DATA_SPLITTER, segment.dataCoding() == SmsEncoder.DATA_CODING_GSM7
                ? new SmppDefaultSplitter(octets.length) : new Smpp8BitSplitter(octets.length));
        in.setHeader(SmppConstants.SPLITTING_POLICY, REJECT);
        in.setBody(new String(octets, StandardCharsets.ISO_8859_1));
    }

    /**
     * E.164 with or without '+' → the digits SMPP carries with TON 1 / NPI 1 (SMPP 3.4 §5.2.8/9: no '+').
     *
     * @throws SmscRejectedException when it is not 1 to 15 digits (the message does not quote it)
     */
    static String smppAddress(String destination) {
        if (destination == null) {
            throw new SmscRejectedException("destination is missing", -1, null);
        }
        String digits = destination.startsWith("+") ? destination.substring(1) : destination;
        if (digits.isEmpty() || digits.length() > 15 || digits.charAt(0) == '0') {
            throw new SmscRejectedException("destination is not an E.164 number", -1, null);
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new SmscRejectedException("destination is not an E.164 number", -1, null);
            }
        }
        return digits;
    }

    private Endpoint endpoint() {
        Endpoint endpoint = submitEndpoint;
        if (endpoint == null) {
            endpoint = producerTemplate.getCamelContext().getEndpoint(SmscRoutes.SUBMIT);
            submitEndpoint = endpoint;
        }
        return endpoint;
    }

    private static String messageId(Message result) {
        Object ids = result.getHeader(SmppConstants.ID);
        if (ids instanceof List<?> list && !list.isEmpty() && list.get(0) != null) {
            return list.get(0).toString();
        }
        // An SMSC may answer an empty message_id; the caller then cannot correlate receipts, but the SMS went.
        return "";
    }

    /** The most telling cause decides the exception; see the class comment for what is kept as its cause. */
    static SmscException failure(Throwable failure, String reference, int index, int total) {
        String what = "submit_sm for SMS " + reference
                + (total > 1 ? " (segment " + (index + 1) + " of " + total + ", " + index + " accepted before)" : "");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NegativeResponseException negative) {
                int status = negative.getCommandStatus();
                String message = what + " answered " + SmppStatus.describe(status);
                if (status == SMPPConstant.STAT_ESME_RTHROTTLED || status == SMPPConstant.STAT_ESME_RMSGQFUL) {
                    return new SmscThrottledException(message, status, negative);
                }
                return new SmscRejectedException(message, status, negative);
            }
            if (t instanceof ResponseTimeoutException timeout) {
                return new SmscUnavailableException(what + ": no submit_sm_resp within the transaction timer", -1,
                        timeout);
            }
            if (t instanceof InvalidResponseException) {
                return new SmscUnavailableException(what + ": invalid answer from the SMSC", -1, null);
            }
            if (t instanceof PDUException) {
                return new SmscRejectedException(what + ": cannot be composed (a field is too long or invalid)", -1,
                        null);
            }
            if (t instanceof IOException io) {
                return new SmscUnavailableException(what + ": no SMPP session (" + io.getClass().getSimpleName()
                        + ")", -1, io);
            }
        }
        return new SmscUnavailableException(what + " failed (" + failure.getClass().getSimpleName() + ")", -1, null);
    }
}
