package io.provisioninghub.connectors.smsc;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.smpp.SmppConfiguration;
import org.apache.camel.component.smpp.SmppEndpoint;
import org.apache.camel.component.smpp.SmppSplittingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The SMSC connector's two routes (INT-3), around one camel-smpp endpoint and so one SMPP session:
 * <pre>
 * direct:smsc-submit             smsc-submit             one submit_sm per exchange (one segment), via smpp://
 * direct:smsc-delivery-receipts  smsc-delivery-receipts  deliver_sm receipts from that session → listeners
 * </pre>
 * <b>The endpoint</b> (SMPP 3.4 session parameters from {@link SmscProperties}):
 * <ul>
 *   <li>{@code lazySessionCreation=true}: the hub starts while the SMSC is down; the session is created on
 *       the first exchange, which {@link SmscSessionSupervisor}'s probe sends, never a caller's submit.</li>
 *   <li>{@code messageReceiverRouteId=smsc-delivery-receipts} (bind-type TRANSCEIVER): camel-smpp then binds
 *       bind_transceiver instead of bind_transmitter and hands every deliver_sm of the session to that route
 *       (camel-smpp docs: "Set this on producer in order to benefit from transceiver (TRX) binding type").</li>
 *   <li>{@code enquireLinkTimer}, {@code transactionTimer}: SMPP 3.4 §7.2's timers, from the properties.</li>
 *   <li>{@code initialReconnectDelay=0}, {@code maxReconnect=1}, {@code reconnectDelay=50}: camel-smpp's own
 *       reconnect makes one immediate attempt; the supervisor does the rest, every
 *       {@code hub.smsc.reconnect-delay} (see there why). camel-smpp's loop only notices that its one attempt
 *       is spent at its next tick, holding the connect lock until then, so that tick is kept short: with the
 *       reconnect delay there, the supervisor's first attempt met the lock and the session came back one
 *       reconnect delay late (measured against the simulator).</li>
 *   <li>{@code registeredDelivery=1|0}, source and destination TON/NPI, {@code priorityFlag=0} (SMPP's
 *       default; camel-smpp's 1 would ask for GSM priority delivery, an operator agreement),
 *       {@code splittingPolicy=REJECT} and {@code encoding=ISO-8859-1} as endpoint defaults; the client sets
 *       the last two on every exchange as well.</li>
 *   <li>system_id, password, system_type and source_addr are set on the endpoint's configuration, not in the
 *       URI: the password never appears in an endpoint URI (JMX, route dumps), and nothing needs escaping.</li>
 * </ul>
 * Both routes have no error handler: a failed submit goes back to {@link CamelSmscClient} as it is (no
 * redelivery, no Camel log line with the exchange, whose body is the SMS text). The supervisor's probes (one per
 * bind, and one per attempt while no session is bound) end as failed exchanges of {@code smsc-submit} by
 * design: route failure counters include them.
 * <p>
 * jSMPP logs whole PDUs in hex and camel-smpp logs received deliver_sm at DEBUG: keep {@code org.jsmpp} and
 * {@code org.apache.camel.component.smpp} at INFO or above wherever logs are kept, or SMS texts and numbers
 * reach them.
 */
public class SmscRoutes extends RouteBuilder {

    public static final String SUBMIT = "direct:smsc-submit";
    public static final String SUBMIT_ROUTE_ID = "smsc-submit";
    public static final String RECEIPTS = "direct:smsc-delivery-receipts";
    public static final String RECEIPTS_ROUTE_ID = "smsc-delivery-receipts";

    /** camel-smpp's reconnect tick; see the class comment. */
    static final long CAMEL_RECONNECT_TICK_MS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(SmscRoutes.class);

    private final SmscProperties properties;
    private final SmscSessionSupervisor supervisor;
    private final ObjectProvider<DeliveryReceiptListener> receiptListeners;

    public SmscRoutes(SmscProperties properties, SmscSessionSupervisor supervisor,
                      ObjectProvider<DeliveryReceiptListener> receiptListeners) {
        this.properties = properties;
        this.supervisor = supervisor;
        this.receiptListeners = receiptListeners;
    }

    @Override
    public void configure() throws Exception {
        if (!properties.isConfigured()) {
            // SmscAutoConfiguration does not create this builder then; nothing to bind to anyway.
            return;
        }
        boolean transceiver = properties.bindType() == SmscProperties.BindType.TRANSCEIVER;
        if (!transceiver && properties.registeredDelivery()) {
            LOG.warn("hub.smsc.bind-type=TRANSMITTER with registered-delivery=true: the SMSC sends receipts to a "
                    + "receiver session, which the hub does not open; no delivery receipt will reach the hub");
        }
        if (!properties.addressRange().isEmpty()) {
            LOG.warn("hub.smsc.address-range is set but not sent: camel-smpp's producer binds with an empty "
                    + "address_range");
        }

        from(SUBMIT).routeId(SUBMIT_ROUTE_ID)
                .errorHandler(noErrorHandler())
                .to(smscEndpoint(transceiver));

        if (transceiver) {
            from(RECEIPTS).routeId(RECEIPTS_ROUTE_ID)
                    // The SMS flow: the group names it on the receipts' log lines (the hub's log format shows it).
                    .routeGroup("sms")
                    .errorHandler(noErrorHandler())
                    .process(new DeliveryReceiptProcessor(receiptListeners, properties.receiptTimeZone()));
        }

        // Starts binding once the routes run (at once when the context already runs), and stops as soon as the
        // context starts stopping, giving up a bind under way before Camel waits for the probe to complete.
        getContext().addStartupListener(supervisor);
        getContext().addLifecycleStrategy(supervisor.lifecycleStrategy());
    }

    private SmppEndpoint smscEndpoint(boolean transceiver) {
        StringBuilder uri = new StringBuilder(properties.address()).append('?').append(String.join("&",
                "lazySessionCreation=true",
                "enquireLinkTimer=" + properties.enquireLinkTimer().toMillis(),
                "transactionTimer=" + properties.transactionTimer().toMillis(),
                "initialReconnectDelay=0",
                "reconnectDelay=" + CAMEL_RECONNECT_TICK_MS,
                "maxReconnect=1",
                "registeredDelivery=" + (properties.registeredDelivery() ? 1 : 0),
                "sourceAddrTon=" + properties.sourceTon(),
                "sourceAddrNpi=" + properties.sourceNpi(),
                "destAddrTon=" + properties.destTon(),
                "destAddrNpi=" + properties.destNpi(),
                "priorityFlag=0",
                "splittingPolicy=" + SmppSplittingPolicy.REJECT.name(),
                "encoding=ISO-8859-1"));
        if (transceiver) {
            uri.append("&messageReceiverRouteId=").append(RECEIPTS_ROUTE_ID);
        }
        SmppEndpoint endpoint = getContext().getEndpoint(uri.toString(), SmppEndpoint.class);
        SmppConfiguration configuration = endpoint.getConfiguration();
        configuration.setSystemId(properties.systemId());
        configuration.setPassword(properties.password() == null ? "" : properties.password());
        configuration.setSystemType(properties.systemType());
        configuration.setSourceAddr(properties.sourceAddress());
        configuration.setSessionStateListener(supervisor);
        return endpoint;
    }
}
