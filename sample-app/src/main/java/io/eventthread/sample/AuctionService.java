package io.eventthread.sample;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The loop side of the auction service. Each auction belongs to {@code eventThread.loopFor(id)};
 * every method hands its work to that loop and returns the loop's future, so auction state is
 * only ever touched by its own loop thread, in the order the loop runs the work.
 */
@Service
public class AuctionService {

    private static final Logger logger = LoggerFactory.getLogger(AuctionService.class);

    private final EventThread eventThread;

    // Built once here and never changed, so any thread may read it; each inner HashMap is
    // confined to its loop (the key) and needs no lock for that reason.
    private final Map<EventLoop, Map<String, Auction>> auctionsByLoop = new IdentityHashMap<>();

    private final AuctionProperties properties;

    private final Settlement settlement;

    private final Notifier notifier;

    private final BidStream bidStream;

    AuctionService(EventThread eventThread, AuctionProperties properties, Settlement settlement, Notifier notifier,
            BidStream bidStream) {
        this.eventThread = eventThread;
        this.properties = properties;
        this.settlement = settlement;
        this.notifier = notifier;
        this.bidStream = bidStream;
        for (EventLoop loop : eventThread.loops()) {
            this.auctionsByLoop.put(loop, new HashMap<>());
            // At shutdown the close timers are cancelled: close what is still open now, so every
            // auction is settled; the drain waits for the settlement writes.
            loop.onShutdown(() -> closeOpenAuctions(loop));
        }
    }

    /** Runs on the loop when the shutdown begins. */
    private void closeOpenAuctions(EventLoop loop) {
        confined(loop);
        for (Auction auction : this.auctionsByLoop.get(loop).values()) {
            if (auction.isOpen()) {
                auction.closeTimer.cancel();
                close(loop, auction, false);
            }
        }
    }

    /**
     * Opens an auction on its loop and arms the timer that closes it.
     * @throws java.util.concurrent.RejectedExecutionException if the loops are shutting down
     */
    public LoopFuture<AuctionView> create(CreateAuction request) {
        String id = UUID.randomUUID().toString();
        EventLoop loop = this.eventThread.loopFor(id);
        return loop.submit(EventLoop.labeled("create auction " + id, () -> {
            Auction auction = new Auction(id, request.item(), request.reservePrice(), loop.name());
            this.auctionsByLoop.get(loop).put(id, auction);
            armCloseTimer(loop, auction, loop.time() + request.duration().toNanos());
            return auction.view();
        }));
    }

    /** A snapshot of an auction, taken on its loop. */
    public LoopFuture<AuctionView> find(String id) {
        return onOwner("find", id, (loop, auction) -> auction.view());
    }

    /**
     * Places a bid on the auction's loop. Because the loop runs bids one at a time, "beats the
     * highest bid" is checked and applied atomically without a lock or a CAS.
     */
    public LoopFuture<BidAccepted> bid(String id, PlaceBid request) {
        return onOwner("bid on", id, (loop, auction) -> placeBid(loop, auction, request));
    }

    /** Opens an SSE stream of the auction's bids, fed from its loop. */
    public LoopFuture<SseEmitter> subscribe(String id) {
        return onOwner("subscribe to", id, this.bidStream::subscribe);
    }

    private BidAccepted placeBid(EventLoop loop, Auction auction, PlaceBid request) {
        long now = loop.time();
        // The close timer may be due but not yet run (the loop is busy with this very bid): the
        // deadline, not the timer, decides.
        if (!auction.isOpen() || now >= auction.deadlineNanos) {
            throw new BidRejectedException("Auction '" + auction.id + "' is closed");
        }
        Bid highest = auction.highest();
        if (highest != null && request.amount() <= highest.amount()) {
            throw new BidRejectedException(
                    "Bid " + request.amount() + " does not beat the highest bid " + highest.amount());
        }
        Bid bid = auction.accept(request.bidder(), request.amount(), Instant.now());
        long window = this.properties.antiSnipingWindow().toNanos();
        if (auction.deadlineNanos - now < window) {
            // Anti-sniping: a late bid gives the others one more window to answer it.
            auction.closeTimer.cancel();
            armCloseTimer(loop, auction, now + window);
        }
        this.bidStream.publish(auction, bid);
        return new BidAccepted(auction.id, bid.sequence(), bid.bidder(), bid.amount(), auction.deadline);
    }

    private void armCloseTimer(EventLoop loop, Auction auction, long deadlineNanos) {
        auction.deadlineNanos = deadlineNanos;
        auction.deadline = Instant.now().plusNanos(deadlineNanos - loop.time());
        auction.closeTimer = loop.callAt(deadlineNanos,
                EventLoop.labeled("close auction " + auction.id, () -> close(loop, auction, true)));
    }

    /**
     * Runs on the loop when the close timer fires, or at shutdown (when the web server, and with
     * it the notification endpoint, has already stopped: no notification then).
     */
    private void close(EventLoop loop, Auction auction, boolean notify) {
        confined(loop);
        if (!auction.isOpen()) {
            return;
        }
        auction.close(Instant.now());
        AuctionView closed = auction.view();
        this.bidStream.close(auction, closed);
        // JDBC blocks: it runs on the blocking pool, and the future completes back on this loop,
        // so the continuation may touch the auction.
        loop.runBlocking(() -> {
            this.settlement.record(closed);
            return closed;
        }).thenCompose((settled) -> {
            confined(loop);
            auction.settled = true;
            if (!notify) {
                return java.util.concurrent.CompletableFuture.<HttpResponse<Void>>completedFuture(null);
            }
            // sendAsync completes on an HttpClient thread; submitAsync mirrors it onto this loop.
            return loop.timeout(loop.submitAsync(() -> this.notifier.send(Notification.of(settled))),
                    this.properties.notificationTimeout());
        }).whenComplete((response, failure) -> recordDelivery(loop, auction, response, failure));
    }

    private void recordDelivery(EventLoop loop, Auction auction, HttpResponse<Void> response, Throwable failure) {
        confined(loop);
        if (failure != null) {
            logger.warn("Auction '{}' closed {}, settled: {}; notification failed", auction.id, auction.status,
                    auction.settled, failure);
        }
        else if (response == null) {
            return; // closed at shutdown: settled, not notified
        }
        else if (response.statusCode() / 100 != 2) {
            logger.warn("Notification of auction '{}' was answered {}", auction.id, response.statusCode());
        }
        else {
            auction.notified = true;
        }
    }

    private <T> LoopFuture<T> onOwner(String verb, String id, BiFunction<EventLoop, Auction, T> action) {
        EventLoop loop = this.eventThread.loopFor(id);
        // The label names the work in slow-callback warnings instead of a lambda class name.
        return loop.submit(EventLoop.labeled(verb + " auction " + id, () -> {
            Auction auction = this.auctionsByLoop.get(loop).get(id);
            if (auction == null) {
                throw new AuctionNotFoundException(id);
            }
            return action.apply(loop, auction);
        }));
    }

    /**
     * Guards the one rule that makes the missing locks safe. A continuation that lost its hop back
     * to the loop fails here, visibly, instead of racing the loop.
     */
    private static void confined(EventLoop loop) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("Auction state of loop '" + loop.name() + "' touched from thread '"
                    + Thread.currentThread().getName() + "'");
        }
    }

}
