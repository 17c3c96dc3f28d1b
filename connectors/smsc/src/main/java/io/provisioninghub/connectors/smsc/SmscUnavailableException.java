package io.provisioninghub.connectors.smsc;

/** Submit failed: no SMPP session: SMSC down, bind refused, connection lost or no answer in time. */
public class SmscUnavailableException extends SmscException {

    public SmscUnavailableException(String message, int commandStatus, Throwable cause) {
        super(message, commandStatus, cause);
    }

    @Override
    public boolean transientFailure() {
        return true;
    }
}
