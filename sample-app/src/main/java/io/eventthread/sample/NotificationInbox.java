package io.eventthread.sample;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Stand-in for an external webhook receiver: records the close notifications the app sends itself. */
@RestController
@RequestMapping("/notifications")
class NotificationInbox {

    // Written by servlet threads, not by a loop: this is the receiving side, not auction state.
    private final Queue<Notification> received = new ConcurrentLinkedQueue<>();

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    void receive(@RequestBody Notification notification) {
        this.received.add(notification);
    }

    @GetMapping
    List<Notification> received() {
        return List.copyOf(this.received);
    }

}
