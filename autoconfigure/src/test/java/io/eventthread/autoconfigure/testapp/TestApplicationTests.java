package io.eventthread.autoconfigure.testapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.autoconfigure.BlockedLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a running web application: health, Prometheus metrics and the endpoint answer
 * over HTTP with the loops' real figures, and Spring's {@code @Async}/{@code @Scheduled} reach
 * the loops by bean name.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "eventthread.loop-count=2", "eventthread.thread-name-prefix=app-loop",
                "eventthread.stuck-threshold=200ms", "eventthread.watchdog-interval=20ms",
                "management.endpoints.web.exposure.include=health,prometheus,eventthread",
                "management.endpoint.health.show-details=always" })
@AutoConfigureMetrics
@Timeout(60)
class TestApplicationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @LocalServerPort
    private int port;

    @Autowired
    private EventThread eventThread;

    @Autowired
    private TestApplication.LoopService service;

    @Test
    void healthShouldBeUpWithDetailsPerLoop() throws Exception {
        HttpResponse<String> response = get("/actuator/health/eventThread");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"")
            .contains("\"app-loop-1\":{")
            .contains("\"app-loop-2\":{")
            .contains("\"state\":\"RUNNING\"");
    }

    @Test
    void stuckLoopShouldTurnHealthDownUntilItRecovers() throws Exception {
        BlockedLoop blocked = BlockedLoop.block(this.eventThread.loops().get(0));
        try {
            await().atMost(WAIT).until(() -> get("/actuator/health/eventThread").statusCode() == 503);
            assertThat(get("/actuator/health/eventThread").body()).contains("\"status\":\"DOWN\"");
        }
        finally {
            blocked.close();
        }
        await().atMost(WAIT).until(() -> get("/actuator/health/eventThread").statusCode() == 200);
    }

    @Test
    void prometheusShouldExposeTheLoopMetrics() throws Exception {
        EventLoop loop = this.eventThread.loops().get(1);
        for (int i = 0; i < 5; i++) {
            loop.submit(() -> "done").get(10, TimeUnit.SECONDS);
        }
        String body = get("/actuator/prometheus").body();
        assertThat(body).contains("eventthread_queue_depth{loop=\"app-loop-1\",name=\"eventThread\"}")
            .contains("eventthread_timers_pending{")
            .contains("eventthread_tasks_failed_total{")
            .contains("eventthread_tasks_rejected_total{")
            .contains("eventthread_callbacks_slow_total{")
            .contains("eventthread_loop_delay_seconds{")
            .contains("eventthread_loop_delay_p99_seconds{")
            .contains("eventthread_loop_utilization{")
            .contains("eventthread_loop_stuck{loop=\"app-loop-2\",name=\"eventThread\"} 0")
            .contains("executor_pool_max_threads{name=\"eventThread.blocking\"}");
        assertThat(sample(body, "eventthread_tasks_completed_total{loop=\"app-loop-2\",name=\"eventThread\"}"))
            .isGreaterThanOrEqualTo(5);
    }

    @Test
    void endpointShouldDescribeTheLoops() throws Exception {
        HttpResponse<String> response = get("/actuator/eventthread");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"app-loop\"")
            .contains("\"stuck\":\"PT0.2S\"")
            .contains("\"name\":\"app-loop-2\"");
    }

    @Test
    void asyncMethodShouldRunAndCompleteOnALoopThread() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<String> result = this.service.threadNameAfter(go);
        // Attached before the method can finish, so it runs on the completing thread.
        CompletableFuture<String> completedOn = result.thenApply((name) -> Thread.currentThread().getName());
        go.countDown();
        assertThat(result.get(10, TimeUnit.SECONDS)).startsWith("app-loop-");
        assertThat(completedOn.get(10, TimeUnit.SECONDS)).startsWith("app-loop-");
    }

    @Test
    void scheduledMethodsShouldRunOnTheSchedulerTheyName() throws Exception {
        assertThat(this.service.scheduledOn().get(10, TimeUnit.SECONDS)).startsWith("app-loop-");
        // Boot's own scheduler still serves @Scheduled methods that name none.
        assertThat(this.service.defaultScheduledOn().get(10, TimeUnit.SECONDS)).doesNotStartWith("app-loop-");
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .timeout(WAIT)
            .build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static double sample(String body, String series) {
        Matcher matcher = Pattern.compile(Pattern.quote(series) + " (\\S+)").matcher(body);
        assertThat(matcher.find()).as("series %s in%n%s", series, body).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

}
