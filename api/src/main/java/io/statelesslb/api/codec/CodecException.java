package io.statelesslb.api.codec;

/** Raised when bytes or JSON do not decode to what was expected; the message names the value and the reason. */
public class CodecException extends RuntimeException {

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
