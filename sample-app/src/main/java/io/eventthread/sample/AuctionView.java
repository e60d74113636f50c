package io.eventthread.sample;

import java.time.Instant;
import java.util.List;

/**
 * Immutable snapshot of an auction, taken on its loop and safe to hand to any thread.
 *
 * @param id the auction id
 * @param item what is sold
 * @param reservePrice lowest winning amount
 * @param status OPEN, SOLD or UNSOLD
 * @param deadline when the auction closes, unless a late bid pushes it out
 * @param closedAt when the loop timer closed it
 * @param highestBidder bidder of the highest accepted bid
 * @param highestAmount amount of the highest accepted bid
 * @param winner the highest bidder once SOLD
 * @param loop name of the loop that owns the auction
 * @param settled whether the settlement row has been written
 * @param notified whether the close notification was delivered
 * @param bids accepted bids, in the order the loop accepted them
 */
public record AuctionView(String id, String item, long reservePrice, String status, Instant deadline,
        Instant closedAt, String highestBidder, Long highestAmount, String winner, String loop, boolean settled,
        boolean notified, List<Bid> bids) {
}
