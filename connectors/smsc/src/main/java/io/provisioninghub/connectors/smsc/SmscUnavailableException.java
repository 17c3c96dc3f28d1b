package io.provisioninghub.connectors.smsc;

/** Submit failed: no SMPP session: SMSC down, bind refused, connection lost or no answer in time. */
public class SmscUnavailableException extends SmscException {

    private final int commandStatus;

    public SmscUnavailableException(String message, int commandStatus, Throwable cause) {
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
