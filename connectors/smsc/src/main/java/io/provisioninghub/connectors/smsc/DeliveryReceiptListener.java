package io.provisioninghub.connectors.smsc;

/** Implemented by the application to record receipts; every bean of this type gets every receipt. */
@FunctionalInterface
public interface DeliveryReceiptListener {

    void onReceipt(DeliveryReceipt receipt);
}
