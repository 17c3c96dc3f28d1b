package io.provisioninghub.routes.configuration;

import io.provisioninghub.connectors.billing.BillingProduct;
import io.provisioninghub.connectors.billing.ProductStatus;
import io.provisioninghub.connectors.hlr.HlrSubscriber;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses what a subscriber gets from the HLR's and billing's view of them (CFG-5, RCC.14 §2.2.2 and §2.2.4
 * cases 4 and 7), by the operator's {@link ConfigurationPolicy}. In order:
 * <ol>
 *   <li>barred from every service in the HLR → the "barred" reset;</li>
 *   <li>a product of a configured service still being provisioned in billing → 503 + Retry-After (Table 8);</li>
 *   <li>every product terminated → the "deprovisioned" reset;</li>
 *   <li>a service is allowed when billing has it active and the HLR neither bars nor opted it out;</li>
 *   <li>none allowed → "opted out of all" when opt-outs are why, else "not entitled";</li>
 *   <li>some allowed → a partial configuration (or "not entitled" when the operator turned partial off).</li>
 * </ol>
 */
@Component
class SubscriberPolicy {

    private static final Set<ProductStatus> IN_PROGRESS = EnumSet.of(ProductStatus.CREATED, ProductStatus.PENDING_ACTIVE);
    private static final Set<ProductStatus> ENDED = EnumSet.of(ProductStatus.TERMINATED, ProductStatus.CANCELLED,
            ProductStatus.ABORTED);

    private final ConfigurationPolicy policy;
    private final List<String> services;

    SubscriberPolicy(ConfigurationPolicy policy, ConfigurationTemplates templates) {
        this.policy = policy;
        this.services = templates.serviceNames();
    }

    Outcome decide(HlrSubscriber subscriber, Optional<List<BillingProduct>> billing) {
        if (subscriber.isBarredFrom(HlrSubscriber.ALL_SERVICES)) {
            return new Outcome.Reset(policy.barred(), "barred");
        }
        List<BillingProduct> products = billing.orElse(List.of()).stream()
                .filter(p -> services.contains(p.service()))
                .toList();
        if (products.stream().anyMatch(p -> IN_PROGRESS.contains(p.status()))
                && products.stream().noneMatch(p -> p.status() == ProductStatus.ACTIVE)) {
            throw new RequestRejected(HubResponse.text(503, "Service Unavailable: provisioning in progress")
                    .withHeader("Retry-After", Long.toString(policy.provisioningRetryAfter().toSeconds())),
                    "provisioning in progress in billing");
        }
        if (!products.isEmpty() && products.stream().allMatch(p -> ENDED.contains(p.status()))) {
            return new Outcome.Reset(policy.deprovisioned(), "deprovisioned");
        }
        List<String> allowed = new ArrayList<>();
        boolean optedOut = false;
        for (String service : services) {
            boolean active = products.stream().anyMatch(p -> p.service().equals(service) && p.status() == ProductStatus.ACTIVE);
            if (!active || subscriber.isBarredFrom(service)) {
                continue;
            }
            if (subscriber.hasOptedOutOf(service)) {
                optedOut = true;
                continue;
            }
            allowed.add(service);
        }
        if (allowed.isEmpty()) {
            return optedOut ? new Outcome.Reset(policy.optedOutOfAll(), "opted-out")
                    : new Outcome.Reset(policy.notEntitled(), "not-entitled");
        }
        if (allowed.size() < services.size() && !policy.partialConfiguration()) {
            return new Outcome.Reset(policy.notEntitled(), "not-entitled");
        }
        return new Outcome.Configure(List.copyOf(allowed));
    }

    sealed interface Outcome {
        /** Configure these services, in document order. */
        record Configure(List<String> services) implements Outcome {
        }

        /** A disabling response; {@code reason} picks the user message. */
        record Reset(ResetKind kind, String reason) implements Outcome {
        }
    }
}
