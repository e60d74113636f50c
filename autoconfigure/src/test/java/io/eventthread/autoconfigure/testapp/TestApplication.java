package io.eventthread.autoconfigure.testapp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.EventThreadBuilder;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * A small web application using the starter the way a new user would: the auto-configured group,
 * a group from properties ({@code eventthread.groups.io.*}, set by the tests) and a group of its
 * own, built with the auto-configured builder.
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class TestApplication {

    /**
     * A group of the application's own; declaring it used to make Boot's executors back off.
     * @param eventThreadBuilder the auto-configured builder
     * @return the group, not started: the starter starts it
     */
    @Bean
    EventThread myLoops(EventThreadBuilder eventThreadBuilder) {
        return eventThreadBuilder.additionalCustomizers((builder) -> builder.threadNamePrefix("my-loop").loopCount(1))
            .build();
    }

    /** Work handed to the loops through Spring's annotations. */
    @Service
    public static class LoopService {

        private final CompletableFuture<String> scheduledOn = new CompletableFuture<>();

        private final List<String> defaultScheduledOn = new CopyOnWriteArrayList<>();

        private final CountDownLatch defaultScheduledRuns = new CountDownLatch(3);

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

        /**
         * Reports the MDC the method sees.
         * @return the thread name and the MDC value of {@code requestId}
         */
        @Async("eventThread")
        public CompletableFuture<String> mdcOnLoop() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName() + ":" + MDC.get("requestId"));
        }

        /**
         * Runs on Boot's application task executor.
         * @return the thread name
         */
        @Async
        public CompletableFuture<String> onDefaultExecutor() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Scheduled(fixedDelay = 50, scheduler = "eventThread")
        void onLoop() {
            this.scheduledOn.complete(Thread.currentThread().getName());
        }

        @Scheduled(fixedDelay = 20)
        void onDefaultScheduler() {
            this.defaultScheduledOn.add(Thread.currentThread().getName());
            this.defaultScheduledRuns.countDown();
        }

        public CompletableFuture<String> scheduledOn() {
            return this.scheduledOn;
        }

        public List<String> defaultScheduledOn(long timeout, TimeUnit unit) throws InterruptedException {
            this.defaultScheduledRuns.await(timeout, unit);
            return List.copyOf(this.defaultScheduledOn);
        }

    }

}
