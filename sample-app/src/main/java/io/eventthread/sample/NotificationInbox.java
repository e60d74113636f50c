package io.eventthread.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stand-in for an external webhook receiver: records the close notifications the app sends
 * itself. Its state lives on the loop of the second group, {@code notifications}
 * ({@code eventthread.groups.notifications.*}), apart from the auction loops: receiving never
 * queues behind bids.
 */
@RestController
@RequestMapping("/notifications")
class NotificationInbox {

    private final EventLoop loop;

    // Confined to the loop: only its thread reads or writes it, so a plain list will do.
    private final List<Notification> received = new ArrayList<>();

    NotificationInbox(@Qualifier("notifications") EventThread notifications) {
        this.loop = notifications.next();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    CompletableFuture<Void> receive(@RequestBody Notification notification) {
        return this.loop.submit(EventLoop.labeled("receive notification " + notification.auctionId(), () -> {
            this.received.add(notification);
            return null;
        }));
    }

    @GetMapping
    CompletableFuture<List<Notification>> received() {
        return this.loop.submit(() -> List.copyOf(this.received));
    }

}
