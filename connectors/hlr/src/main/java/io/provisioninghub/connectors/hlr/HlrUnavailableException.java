package io.provisioninghub.connectors.hlr;

/** The HLR could not be asked: the caller answers 503 + Retry-After (RCC.14 Table 8), never 500. */
public class HlrUnavailableException extends RuntimeException {
    public HlrUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
