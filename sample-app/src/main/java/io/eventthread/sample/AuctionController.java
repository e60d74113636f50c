package io.eventthread.sample;

import java.util.concurrent.CompletableFuture;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * HTTP face of the auctions. Every handler returns the owning loop's future, so Spring MVC
 * releases the servlet thread and finishes the response when the loop completes it.
 */
@RestController
@RequestMapping("/auctions")
class AuctionController {

    private final AuctionService auctions;

    private final AuctionProperties properties;

    AuctionController(AuctionService auctions, AuctionProperties properties) {
        this.auctions = auctions;
        this.properties = properties;
    }

    @PostMapping
    CompletableFuture<ResponseEntity<AuctionView>> create(@Valid @RequestBody CreateAuction request,
            UriComponentsBuilder uri) {
        if (request.duration().compareTo(this.properties.maxDuration()) > 0) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, ProblemDetail
                .forStatusAndDetail(HttpStatus.BAD_REQUEST, "duration: at most " + this.properties.maxDuration()), null);
        }
        return this.auctions.create(request)
            .thenApply((created) -> ResponseEntity.created(uri.path("/auctions/{id}").buildAndExpand(created.id()).toUri())
                .body(created));
    }

    @GetMapping("/{id}")
    CompletableFuture<AuctionView> find(@PathVariable String id) {
        return this.auctions.find(id);
    }

    @PostMapping("/{id}/bids")
    CompletableFuture<BidAccepted> bid(@PathVariable String id, @Valid @RequestBody PlaceBid request) {
        return this.auctions.bid(id, request);
    }

    @GetMapping("/{id}/events")
    CompletableFuture<SseEmitter> events(@PathVariable String id) {
        return this.auctions.subscribe(id);
    }

}
