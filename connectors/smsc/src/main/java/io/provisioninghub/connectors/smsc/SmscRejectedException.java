package io.provisioninghub.connectors.smsc;

/** Submit failed: a permanent refusal (any other command_status) or content that cannot be encoded. */
public class SmscRejectedException extends SmscException {

    public SmscRejectedException(String message, int commandStatus, Throwable cause) {
        super(message, commandStatus, cause);
    }

    @Override
    public boolean transientFailure() {
        return false;
    }
}
