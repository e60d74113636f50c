package io.eventthread.sample;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;

import io.eventthread.EventLoop;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of an auction's bids, written by loop code. Subscribers live in the auction's
 * loop-confined state, so publishing in acceptance order needs no locks and no queue.
 */
@Component
class BidStream {

    private final long timeoutMillis;

    BidStream(AuctionProperties properties) {
        this.timeoutMillis = properties.streamTimeout().toMillis();
    }

    /**
     * Opens a stream on the auction's loop: replays the bids so far, then follows new ones until
     * the auction closes. Sends before Spring MVC has initialised the emitter are buffered by it.
     */
    SseEmitter subscribe(EventLoop loop, Auction auction) {
        SseEmitter emitter = new SseEmitter(this.timeoutMillis);
        for (Bid bid : auction.bids) {
            if (!send(emitter, bidEvent(bid))) {
                return emitter;
            }
        }
        if (!auction.isOpen()) {
            closeOne(emitter, auction.view());
            return emitter;
        }
        auction.subscribers.add(emitter);
        // Container threads report the end of a stream: hop to the loop that owns the subscriber list.
        Runnable unsubscribe = () -> onLoop(loop, () -> auction.subscribers.remove(emitter));
        emitter.onCompletion(unsubscribe);
        emitter.onTimeout(unsubscribe);
        emitter.onError((ex) -> unsubscribe.run());
        return emitter;
    }

    /**
     * Sends an accepted bid to every subscriber, on the loop, so streams see bids in acceptance
     * order. A write lands in the container's response buffer; only a client that stops reading
     * long enough to fill it and the socket could stall the loop (the stream timeout bounds that;
     * a service with untrusted clients would give each subscriber a bounded outbox instead). A
     * subscriber whose write fails is dropped rather than retried.
     */
    void publish(Auction auction, Bid bid) {
        auction.subscribers.removeIf((emitter) -> !send(emitter, bidEvent(bid)));
    }

    /** Sends the final state and ends every stream of a closed auction, on the loop. */
    void close(Auction auction, AuctionView closed) {
        for (SseEmitter emitter : auction.subscribers) {
            closeOne(emitter, closed);
        }
        auction.subscribers.clear();
    }

    private void closeOne(SseEmitter emitter, AuctionView closed) {
        if (send(emitter, SseEmitter.event().name("closed").data(closed, MediaType.APPLICATION_JSON))) {
            emitter.complete();
        }
    }

    private static SseEmitter.SseEventBuilder bidEvent(Bid bid) {
        return SseEmitter.event().name("bid").id(Integer.toString(bid.sequence())).data(bid, MediaType.APPLICATION_JSON);
    }

    private static boolean send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
            return true;
        }
        catch (IOException | IllegalStateException ex) {
            // The client went away (or the emitter already completed): Spring MVC ends the
            // request; the stream simply stops being fed.
            return false;
        }
    }

    private static void onLoop(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        }
        catch (RejectedExecutionException ex) {
            // The loops are shutting down; the subscriber list goes away with them.
        }
    }

}
