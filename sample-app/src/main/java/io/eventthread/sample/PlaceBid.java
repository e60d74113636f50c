package io.eventthread.sample;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /auctions/{id}/bids}.
 *
 * @param bidder who bids
 * @param amount the amount; must beat the highest accepted bid
 */
public record PlaceBid(@NotBlank @Size(max = 100) String bidder, @NotNull @Positive Long amount) {
}
