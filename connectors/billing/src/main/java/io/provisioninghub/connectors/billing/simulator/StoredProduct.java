package io.provisioninghub.connectors.billing.simulator;

import java.time.Instant;

/** One row of the stand-in's product inventory, joined with its offering. */
record StoredProduct(long id, String msisdn, String status, boolean bundle, Instant startDate,
                     String offeringId, String offeringName, String service) {
}
