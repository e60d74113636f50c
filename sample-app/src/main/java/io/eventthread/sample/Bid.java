package io.eventthread.sample;

import java.time.Instant;

/**
 * An accepted bid.
 *
 * @param sequence position in the auction's bid history, from 1, in the order the loop accepted it
 * @param bidder who bid
 * @param amount the amount, above every earlier accepted bid
 * @param at when the loop accepted it
 */
public record Bid(int sequence, String bidder, long amount, Instant at) {
}
