package io.eventthread.sample;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /auctions}.
 *
 * @param item what is sold
 * @param reservePrice lowest winning amount; below it the auction closes unsold
 * @param duration time until the deadline, ISO-8601 ({@code "PT30S"}) or seconds ({@code 30})
 */
public record CreateAuction(@NotBlank @Size(max = 200) String item, @NotNull @PositiveOrZero Long reservePrice,
        @NotNull Duration duration) {

    @AssertTrue(message = "must be positive")
    boolean isDurationPositive() {
        return this.duration == null || (!this.duration.isNegative() && !this.duration.isZero());
    }

}
