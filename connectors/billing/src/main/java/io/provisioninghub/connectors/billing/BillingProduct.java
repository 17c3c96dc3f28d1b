package io.provisioninghub.connectors.billing;

/**
 * One product of a subscriber's inventory in billing (TMF637 Product), reduced to what the hub uses.
 *
 * @param id      billing's product id
 * @param service the hub service this product entitles to (TMF637 productCharacteristic "service"), e.g. "ims"
 * @param status  lifecycle state
 */
public record BillingProduct(String id, String service, ProductStatus status) {
}
