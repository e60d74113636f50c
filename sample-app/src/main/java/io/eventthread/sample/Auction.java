package io.eventthread.sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.eventthread.LoopHandle;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * State of one auction. Confined to the loop that owns the auction: every read and write happens in
 * a callback on that loop, one at a time, so plain fields and an ArrayList need no locks.
 */
final class Auction {

    enum Status {

        /** Taking bids. */
        OPEN,
        /** Closed with a bid at or above the reserve price. */
        SOLD,
        /** Closed without a bid at or above the reserve price. */
        UNSOLD

    }

    final String id;

    final String item;

    final long reservePrice;

    final String loopName;

    final List<Bid> bids = new ArrayList<>();

    /** Open SSE streams of this auction, fed by {@link BidStream}. */
    final List<SseEmitter> subscribers = new ArrayList<>();

    Status status = Status.OPEN;

    /** Deadline in the loop's clock, the time base of {@code callAt}. */
    long deadlineNanos;

    /** The same deadline on the wall clock, for clients. */
    Instant deadline;

    /** The timer that closes the auction; replaced when a late bid pushes the deadline out. */
    LoopHandle closeTimer;

    Instant closedAt;

    boolean settled;

    boolean notified;

    Auction(String id, String item, long reservePrice, String loopName) {
        this.id = id;
        this.item = item;
        this.reservePrice = reservePrice;
        this.loopName = loopName;
    }

    boolean isOpen() {
        return this.status == Status.OPEN;
    }

    Bid highest() {
        return this.bids.isEmpty() ? null : this.bids.get(this.bids.size() - 1);
    }

    Bid accept(String bidder, long amount, Instant at) {
        Bid bid = new Bid(this.bids.size() + 1, bidder, amount, at);
        this.bids.add(bid);
        return bid;
    }

    void close(Instant at) {
        Bid highest = highest();
        this.status = (highest != null && highest.amount() >= this.reservePrice) ? Status.SOLD : Status.UNSOLD;
        this.closedAt = at;
        this.closeTimer = null;
    }

    AuctionView view() {
        Bid highest = highest();
        return new AuctionView(this.id, this.item, this.reservePrice, this.status.name(), this.deadline,
                this.closedAt, (highest != null) ? highest.bidder() : null, (highest != null) ? highest.amount() : null,
                (this.status == Status.SOLD) ? highest.bidder() : null, this.loopName, this.settled, this.notified,
                List.copyOf(this.bids));
    }

}
