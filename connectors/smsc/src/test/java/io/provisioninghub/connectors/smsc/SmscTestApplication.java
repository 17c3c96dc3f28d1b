package io.provisioninghub.connectors.smsc;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A minimal application as the hub's routes module would be: everything comes from auto-configuration,
 * so a test through it also proves that SmscAutoConfiguration is registered in AutoConfiguration.imports.
 * Its one bean of its own records the delivery receipts.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class SmscTestApplication {

    @Bean
    RecordingReceiptListener recordingReceiptListener() {
        return new RecordingReceiptListener();
    }

    /** Every receipt, in arrival order; fails on demand (after recording) to test redelivery. */
    static final class RecordingReceiptListener implements DeliveryReceiptListener {

        final BlockingQueue<DeliveryReceipt> receipts = new LinkedBlockingQueue<>();
        volatile boolean failing;

        @Override
        public void onReceipt(DeliveryReceipt receipt) {
            receipts.add(receipt);
            if (failing) {
                throw new IllegalStateException("the application's store is down");
            }
        }
    }
}
