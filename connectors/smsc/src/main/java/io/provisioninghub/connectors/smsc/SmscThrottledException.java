package io.provisioninghub.connectors.smsc;

/** Submit failed: the SMSC asked us to slow down (ESME_RTHROTTLED, ESME_RMSGQFUL). */
public class SmscThrottledException extends SmscException {

    public SmscThrottledException(String message, int commandStatus, Throwable cause) {
        super(message, commandStatus, cause);
    }

    @Override
    public boolean transientFailure() {
        return true;
    }
}
