package io.eventthread.sample;

/** No auction with the given id: answered 404. */
public class AuctionNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AuctionNotFoundException(String id) {
        super("No auction '" + id + "'");
    }

}
