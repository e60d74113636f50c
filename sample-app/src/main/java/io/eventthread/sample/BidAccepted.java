package io.eventthread.sample;

import java.time.Instant;

/**
 * Answer to an accepted bid.
 *
 * @param auctionId the auction
 * @param sequence the bid's position in the auction's bid history
 * @param bidder who bid
 * @param amount the amount
 * @param deadline the auction's deadline after this bid, pushed out if the bid came late
 */
public record BidAccepted(String auctionId, int sequence, String bidder, long amount, Instant deadline) {
}
