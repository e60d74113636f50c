package io.eventthread.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Completes when the application is ready, so that blocking-call detection can hold the warnings
 * of a start-up ({@code eventthread.blocking-detection.quiet-until-ready}). A context that is never
 * made ready by {@code SpringApplication} keeps them held until its groups close.
 */
final class ApplicationReadySignal implements ApplicationListener<ApplicationReadyEvent> {

    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        this.ready.complete(null);
    }

    /** @return a stage that completes when the application is ready; read-only */
    CompletionStage<Void> stage() {
        return this.ready.minimalCompletionStage();
    }

}
