package io.eventthread.sample;

import java.util.concurrent.TimeUnit;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample runs with {@code eventthread.blocking-detection.enabled=true}: a blocking call made
 * inside a callback on one of its loops is logged with the frame that made it, and counted.
 */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingDetectionTests {

    @Autowired
    private EventThread eventThread;

    @Test
    void aSleepOnAnAuctionLoopIsLoggedWithTheCulpritFrame(CapturedOutput output) throws Exception {
        EventLoop loop = this.eventThread.next();
        loop.submit(BlockingDetectionTests::napOnTheLoop).get(10, TimeUnit.SECONDS);
        // Flight Recorder hands its events to the detector in batches, about once a second.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loop.stats().blockingCalls() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(loop.stats().blockingCalls()).isEqualTo(1);
        assertThat(output.getOut()).contains("blocking call on event loop '" + loop.name() + "': Thread.sleep for")
            .contains("BlockingDetectionTests.napOnTheLoop");
    }

    private static Void napOnTheLoop() throws InterruptedException {
        Thread.sleep(60); // the mistake the detector is for: this belongs in loop.runBlocking(...)
        return null;
    }

}
