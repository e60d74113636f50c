package io.eventthread.sample;

import java.time.Instant;

/**
 * What the close notification says about an auction.
 *
 * @param auctionId the auction
 * @param status SOLD or UNSOLD
 * @param winner the winning bidder, if SOLD
 * @param amount the highest bid, if any
 * @param closedAt when the auction closed
 */
public record Notification(String auctionId, String status, String winner, Long amount, Instant closedAt) {

    static Notification of(AuctionView closed) {
        return new Notification(closed.id(), closed.status(), closed.winner(), closed.highestAmount(),
                closed.closedAt());
    }

}
