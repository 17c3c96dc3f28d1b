package io.provisioninghub.connectors.smsc;

/** Submit failed: a permanent refusal (any other command_status) or content that cannot be encoded. */
public class SmscRejectedException extends SmscException {

    private final int commandStatus;

    public SmscRejectedException(String message, int commandStatus, Throwable cause) {
        super(message, cause);
        this.commandStatus = commandStatus;
    }

    @Override
    public int commandStatus() {
        return commandStatus;
    }

    @Override
    public boolean transientFailure() {
        return false;
    }
}
