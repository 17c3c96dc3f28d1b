package io.provisioninghub.connectors.smsc.simulator;

import org.jsmpp.DefaultPDUReader;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Command;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * jSMPP's PDU reader for one server session, keeping the raw octets of each submit_sm until the receiver
 * listener takes them by sequence number. jSMPP reads a PDU (on the session's reader thread) before it hands
 * it to a worker, so the octets are always there when the submit_sm is processed.
 * <p>
 * The octets are the wire's: {@link DefaultPDUReader} returns the four header integers it read, big-endian,
 * followed by the body read with {@code readFully}.
 */
final class TappingPduReader extends DefaultPDUReader {

    /** More pending PDUs than this means the listener is not taking them: stop keeping new ones. */
    private static final int MAX_PENDING = 10_000;

    private final ConcurrentMap<Integer, byte[]> submits = new ConcurrentHashMap<>();

    @Override
    public byte[] readPDU(DataInputStream in, Command pduHeader) throws IOException {
        byte[] pdu = super.readPDU(in, pduHeader);
        if (pduHeader.getCommandId() == SMPPConstant.CID_SUBMIT_SM && submits.size() < MAX_PENDING) {
            submits.put(pduHeader.getSequenceNumber(), pdu);
        }
        return pdu;
    }

    /** The raw submit_sm with this sequence number, or null; removes it. */
    byte[] take(int sequenceNumber) {
        return submits.remove(sequenceNumber);
    }
}
