package io.provisioninghub.connectors.smsc;

/** Submit failed: the SMSC asked us to slow down (ESME_RTHROTTLED, ESME_RMSGQFUL). */
public class SmscThrottledException extends SmscException {

    private final int commandStatus;

    public SmscThrottledException(String message, int commandStatus, Throwable cause) {
        super(message, cause);
        this.commandStatus = commandStatus;
    }

    @Override
    public int commandStatus() {
        return commandStatus;
    }

    @Override
    public boolean transientFailure() {
        return true;
    }
}
