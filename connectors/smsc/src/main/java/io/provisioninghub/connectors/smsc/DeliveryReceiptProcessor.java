package io.provisioninghub.connectors.smsc;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.smpp.SmppMessage;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;

/**
 * The receipt route's only step: a deliver_sm that camel-smpp hands over (through {@code messageReceiverRouteId})
 * becomes a {@link DeliveryReceipt} for every {@link DeliveryReceiptListener} bean.
 * <p>
 * <b>At least once</b>: when a listener throws, the deliver_sm is answered ESME_RX_T_APPN (0x64, "temporary
 * application error"), so the SMSC delivers the receipt again later; every listener may then see it twice
 * and must be idempotent. A deliver_sm that is not a receipt (a mobile-originated SMS) is answered OK and
 * dropped: the hub does not take SMS from phones.
 */
final class DeliveryReceiptProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReceiptProcessor.class);

    private final ObjectProvider<DeliveryReceiptListener> listeners;
    private final ZoneId zone;

    DeliveryReceiptProcessor(ObjectProvider<DeliveryReceiptListener> listeners, ZoneId zone) {
        this.listeners = listeners;
        this.zone = zone;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (!(exchange.getIn() instanceof SmppMessage message) || !(message.getCommand() instanceof DeliverSm)) {
            LOG.debug("Ignoring an exchange on the receipt route that does not carry a deliver_sm");
            return;
        }
        Command command = message.getCommand();
        DeliverSm deliverSm = (DeliverSm) command;
        if (!deliverSm.isSmscDeliveryReceipt()) {
            LOG.debug("Ignoring a mobile-originated deliver_sm (sequence {})", deliverSm.getSequenceNumber());
            return;
        }
        DeliveryReceipt receipt = DeliveryReceipts.parse(body(deliverSm), deliverSm.getDataCoding(),
                receiptedMessageId(deliverSm), zone, Instant.now());
        if (receipt == null) {
            LOG.warn("Ignoring a delivery receipt without a message id (sequence {})", deliverSm.getSequenceNumber());
            return;
        }
        dispatch(receipt);
    }

    private void dispatch(DeliveryReceipt receipt) throws ProcessRequestException {
        RuntimeException failure = null;
        for (Iterator<DeliveryReceiptListener> it = listeners.orderedStream().iterator(); it.hasNext(); ) {
            DeliveryReceiptListener listener = it.next();
            try {
                listener.onReceipt(receipt);
            } catch (RuntimeException e) {
                // The others still get it; the SMSC is asked to deliver it again (see the class comment).
                LOG.warn("Delivery receipt listener {} failed for SMSC message {}: {}",
                        listener.getClass().getName(), receipt.smscMessageId(), e.getClass().getSimpleName());
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw new ProcessRequestException("a delivery receipt listener failed", SMPPConstant.STAT_ESME_RX_T_APPN,
                    failure);
        }
    }

    private static byte[] body(DeliverSm deliverSm) {
        byte[] body = deliverSm.getShortMessage();
        if (body == null || body.length == 0) {
            OptionalParameter payload = deliverSm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
            if (payload instanceof OptionalParameter.OctetString octets) {
                body = octets.getValue();
            }
        }
        return body;
    }

    private static String receiptedMessageId(DeliverSm deliverSm) {
        OptionalParameter id = deliverSm.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
        if (id instanceof OptionalParameter.COctetString string) {
            return string.getValueAsString();
        }
        if (id instanceof OptionalParameter.OctetString octets) {
            return octets.getValueAsString();
        }
        return null;
    }
}
