package io.eventthread.sample;

/** A bid the auction cannot take, because it is too low or the auction has closed: answered 409. */
public class BidRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BidRejectedException(String message) {
        super(message, null, false, false);
    }

}
