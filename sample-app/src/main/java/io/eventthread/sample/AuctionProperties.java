package io.eventthread.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the auction service.
 *
 * @param antiSnipingWindow a bid this close to the deadline pushes the deadline out to this long after the bid
 * @param maxDuration longest duration an auction may be created with
 * @param notificationTimeout time allowed for the close notification to be delivered
 * @param streamTimeout how long an SSE subscription stays open at most
 */
@ConfigurationProperties("auction")
public record AuctionProperties(@DefaultValue("2s") Duration antiSnipingWindow,
        @DefaultValue("1h") Duration maxDuration, @DefaultValue("5s") Duration notificationTimeout,
        @DefaultValue("30m") Duration streamTimeout) {
}
