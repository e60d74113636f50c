package io.eventthread.autoconfigure.testapp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * A small web application using the starter's beans the way users would.
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class TestApplication {

    /** Work handed to the loops through Spring's annotations. */
    @Service
    public static class LoopService {

        private final CompletableFuture<String> scheduledOn = new CompletableFuture<>();

        private final CompletableFuture<String> defaultScheduledOn = new CompletableFuture<>();

        /**
         * Waits for the caller's go, so the caller can attach a continuation before completion.
         * @param go released by the caller
         * @return the name of the thread that ran the method
         * @throws InterruptedException if interrupted
         */
        @Async("eventThread")
        public CompletableFuture<String> threadNameAfter(CountDownLatch go) throws InterruptedException {
            go.await(10, TimeUnit.SECONDS);
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Scheduled(fixedDelay = 50, scheduler = "eventThreadTaskScheduler")
        void onLoop() {
            this.scheduledOn.complete(Thread.currentThread().getName());
        }

        @Scheduled(fixedDelay = 50)
        void onDefaultScheduler() {
            this.defaultScheduledOn.complete(Thread.currentThread().getName());
        }

        public CompletableFuture<String> scheduledOn() {
            return this.scheduledOn;
        }

        public CompletableFuture<String> defaultScheduledOn() {
            return this.defaultScheduledOn;
        }

    }

}
