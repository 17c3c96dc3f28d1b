package io.provisioninghub.routes.configuration;

import io.provisioninghub.connectors.billing.BillingClient;
import io.provisioninghub.connectors.hlr.HlrClient;
import io.provisioninghub.connectors.hlr.HlrSubscriber;
import io.provisioninghub.connectors.smsc.SmsContent;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.sms.SmsOutbox;
import io.provisioninghub.routes.tracing.FlowTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Network-requested reconfiguration (RCC.14 §3, RECONF-1/2) for one subscriber: the next check gets the full
 * document (the resend mark of §2.2.4 case 3), and the client is told to check now by an SMS to application port
 * 37273 (0x9199), UCS2, whose text is {@code <IMSI>-rcscfg}, or {@code <IMPI>-rcscfg} when an IMS-based service is
 * enabled for the subscriber. The SMS goes through the outbox, so it survives an SMSC outage and keeps to the rate.
 */
@Component
class ReconfigurationTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(ReconfigurationTriggers.class);
    /** RCC.14 §3 b): the trigger's destination port, whatever port the client once asked for its OTP. */
    static final int TRIGGER_PORT = 37273;

    private final HlrClient hlr;
    private final BillingClient billing;
    private final SubscriberPolicy policy;
    private final HomeNetworks networks;
    private final ConfigurationVersions versions;
    private final SmsOutbox outbox;
    private final FlowTracing tracing;
    private final List<String> imsServices;
    private final Duration validity;

    ReconfigurationTriggers(HlrClient hlr, BillingClient billing, SubscriberPolicy policy, HomeNetworks networks,
                            ConfigurationVersions versions, SmsOutbox outbox, FlowTracing tracing,
                            @Value("${hub.reconfiguration.ims-services:ims,messaging}") List<String> imsServices,
                            @Value("${hub.reconfiguration.trigger-validity:24h}") Duration validity) {
        this.hlr = hlr;
        this.billing = billing;
        this.policy = policy;
        this.networks = networks;
        this.versions = versions;
        this.outbox = outbox;
        this.tracing = tracing;
        this.imsServices = List.copyOf(imsServices);
        this.validity = validity;
    }

    /** What was done for a trigger request. */
    enum Result { TRIGGERED, UNKNOWN_SUBSCRIBER, NO_MSISDN }

    record Triggered(Result result, UUID smsReference) {
    }

    Triggered trigger(String imsi) {
        Optional<HlrSubscriber> found = hlr.findByImsi(imsi);
        if (found.isEmpty()) {
            return new Triggered(Result.UNKNOWN_SUBSCRIBER, null);
        }
        HlrSubscriber subscriber = found.get();
        if (subscriber.msisdn() == null) {
            return new Triggered(Result.NO_MSISDN, null);
        }
        versions.markForResend(imsi);
        UUID reference = outbox.enqueue("reconfiguration", subscriber.msisdn(),
                new SmsContent.PortAddressed(TRIGGER_PORT, triggerText(subscriber)),
                java.time.Instant.now().plus(validity), Duration.ZERO);
        LOG.debug("Reconfiguration triggered for {}", Redaction.ref(imsi));
        return new Triggered(Result.TRIGGERED, reference);
    }

    /**
     * {@link #trigger} for many subscribers the caller has looked up already (the rotation intake's batches), each
     * with an MSISDN: the trigger texts are worked out on {@code lookups} (each needs the subscriber's billing
     * products, one HTTP call), then the resend marks and the SMS go in with one statement each and one JMS
     * commit (see {@link SmsOutbox#enqueueAll}), on the caller's thread and transaction.
     *
     * @return the trigger SMS's reference per IMSI
     * @throws IllegalArgumentException when a subscriber has no MSISDN (the caller sorts those out)
     */
    Map<String, UUID> triggerAll(List<HlrSubscriber> subscribers, Map<String, String> traceParents, Executor lookups) {
        Map<String, UUID> references = new HashMap<>();
        if (subscribers.isEmpty()) {
            return references;
        }
        for (HlrSubscriber subscriber : subscribers) {
            if (subscriber.msisdn() == null) {
                throw new IllegalArgumentException("a subscriber without MSISDN cannot be sent a trigger");
            }
        }
        List<CompletableFuture<String>> texts = subscribers.stream()
                // Each lookup in its rotation's trace (the billing call is a span of it).
                .map(s -> CompletableFuture.supplyAsync(() -> tracing.within("hub.rotation.trigger", "rotation",
                        traceParents.get(s.imsi()), () -> triggerText(s)), lookups))
                .toList();
        // The database work of the batch overlaps the lookups.
        versions.markForResendAll(subscribers.stream().map(HlrSubscriber::imsi).toList());
        Instant expiresAt = Instant.now().plus(validity);
        List<SmsOutbox.Outgoing> sms = new ArrayList<>(subscribers.size());
        for (int i = 0; i < subscribers.size(); i++) {
            sms.add(new SmsOutbox.Outgoing("reconfiguration", subscribers.get(i).msisdn(),
                    new SmsContent.PortAddressed(TRIGGER_PORT, join(texts.get(i))), expiresAt,
                    traceParents.get(subscribers.get(i).imsi())));
        }
        List<UUID> queued = outbox.enqueueAll(sms);
        for (int i = 0; i < subscribers.size(); i++) {
            references.put(subscribers.get(i).imsi(), queued.get(i));
        }
        LOG.debug("Reconfiguration triggered for {} subscribers", subscribers.size());
        return references;
    }

    /** The lookup's own exception (billing unavailable …), not the future's wrapper. */
    private static String join(CompletableFuture<String> text) {
        try {
            return text.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** §3: IMPI when an IMS-based service is enabled for the subscriber, else the IMSI; then "-rcscfg". */
    String triggerText(HlrSubscriber subscriber) {
        SubscriberPolicy.Outcome outcome = policy.decide(subscriber, billing.productsOf(subscriber.msisdn()));
        boolean imsEnabled = outcome instanceof SubscriberPolicy.Outcome.Configure configure
                && configure.services().stream().anyMatch(imsServices::contains);
        Optional<HomeNetwork> network = networks.fromImsi(subscriber.imsi());
        String identity = imsEnabled && network.isPresent() ? network.get().impi(subscriber.imsi()) : subscriber.imsi();
        return identity + "-rcscfg";
    }
}
