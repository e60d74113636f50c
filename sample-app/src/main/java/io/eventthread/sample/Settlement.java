package io.eventthread.sample;

import java.sql.Timestamp;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Writes the outcome of a closed auction to the database; blocking, so callers run it via {@code runBlocking}. */
@Component
class Settlement {

    private final JdbcClient jdbc;

    Settlement(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the settlement row. Records the writing thread so a test can prove the blocking
     * call ran on the blocking pool and never on a loop.
     * @param closed the closed auction
     */
    void record(AuctionView closed) {
        this.jdbc.sql("""
                insert into settlement (auction_id, item, status, winner, amount, bid_count, closed_at, settled_by)
                values (:auctionId, :item, :status, :winner, :amount, :bidCount, :closedAt, :settledBy)""")
            .param("auctionId", closed.id())
            .param("item", closed.item())
            .param("status", closed.status())
            .param("winner", closed.winner())
            .param("amount", closed.highestAmount())
            .param("bidCount", closed.bids().size())
            .param("closedAt", Timestamp.from(closed.closedAt()))
            .param("settledBy", Thread.currentThread().getName())
            .update();
    }

}
