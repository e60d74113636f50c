package io.eventthread.autoconfigure.testapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopState;
import io.eventthread.autoconfigure.BlockedLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
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
                "eventthread.groups.io.loop-count=1",
                "eventthread.stuck-threshold=200ms", "eventthread.watchdog-interval=20ms",
                "management.endpoints.web.exposure.include=health,metrics,prometheus,eventthread",
                "management.endpoint.health.show-details=always" })
@AutoConfigureMetrics
@Timeout(60)
class TestApplicationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("eventThread")
    private EventThread eventThread;

    @Autowired
    @Qualifier("io")
    private EventThread io;

    @Autowired
    @Qualifier("myLoops")
    private EventThread myLoops;

    @Autowired
    private ApplicationContext context;

    @Autowired
    private TestApplication.LoopService service;

    @Test
    void everyGroupShouldBeRunningAndInHealthByBeanName() throws Exception {
        for (EventThread group : new EventThread[] { this.eventThread, this.io, this.myLoops }) {
            assertThat(group.loops()).allSatisfy((loop) -> assertThat(loop.state()).isEqualTo(LoopState.RUNNING));
        }
        HttpResponse<String> response = get("/actuator/health/eventThread");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"")
            .contains("\"eventThread\":{", "\"io\":{", "\"myLoops\":{")
            .contains("\"app-loop-1\":{", "\"app-loop-2\":{", "\"io-1\":{", "\"my-loop-1\":{")
            .contains("\"state\":\"RUNNING\"")
            .doesNotContain("\"state\":\"NEW\"");
    }

    @Test
    void stuckLoopShouldTurnItsGroupsHealthDownUntilItRecovers() throws Exception {
        BlockedLoop blocked = BlockedLoop.block(this.eventThread.loops().get(0));
        try {
            await().atMost(WAIT).until(() -> get("/actuator/health/eventThread/eventThread").statusCode() == 503);
            assertThat(get("/actuator/health/eventThread/eventThread").body()).contains("\"status\":\"DOWN\"");
            assertThat(get("/actuator/health/eventThread/io").statusCode()).isEqualTo(200);
        }
        finally {
            blocked.close();
        }
        await().atMost(WAIT).until(() -> get("/actuator/health/eventThread").statusCode() == 200);
    }

    @Test
    void prometheusShouldExposeTheMetersOfEveryGroup() throws Exception {
        EventLoop loop = this.eventThread.loops().get(1);
        for (int i = 0; i < 5; i++) {
            loop.submit(() -> "done").get(10, TimeUnit.SECONDS);
        }
        String body = get("/actuator/prometheus").body();
        assertThat(body).contains("eventthread_queued_tasks{loop=\"app-loop-1\",name=\"eventThread\"}")
            .contains("eventthread_scheduled_timers{")
            .contains("eventthread_failed_tasks_total{")
            .contains("eventthread_rejected_tasks_total{")
            .contains("eventthread_slow_callbacks_total{")
            .contains("eventthread_stuck_incidents_total{")
            .contains("eventthread_loop_busy_seconds_total{loop=\"io-1\",name=\"io\"}")
            .contains("eventthread_loop_busy_seconds_total{loop=\"my-loop-1\",name=\"myLoops\"}")
            .contains("eventthread_loop_delay_seconds_count{")
            .contains("eventthread_loop_delay_seconds_sum{")
            .contains("eventthread_loop_delay_max_seconds{")
            .contains("eventthread_loop_stuck{loop=\"app-loop-2\",name=\"eventThread\"} 0")
            .contains("eventthread_blocking_pool_max_threads{name=\"io\"}")
            .contains("eventthread_blocking_completed_tasks_total{name=\"myLoops\"}")
            .doesNotContain("eventthread_loop_utilization");
        assertThat(sample(body, "eventthread_completed_tasks_total{loop=\"app-loop-2\",name=\"eventThread\"}"))
            .isGreaterThanOrEqualTo(5);
    }

    @Test
    void prometheusScrapeAfterAMetricsReadShouldShowTheSameBusyTime() throws Exception {
        EventLoop loop = this.io.loops().get(0);
        loop.submit(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
        String json = get("/actuator/metrics/eventthread.loop.busy?tag=name:io&tag=loop:io-1").body();
        Matcher count = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.Ee+-]+)").matcher(json);
        assertThat(count.find()).as(json).isTrue();
        double viaMetrics = Double.parseDouble(count.group(1));
        double viaPrometheus = sample(get("/actuator/prometheus").body(),
                "eventthread_loop_busy_seconds_total{loop=\"io-1\",name=\"io\"}");
        double again = sample(get("/actuator/prometheus").body(),
                "eventthread_loop_busy_seconds_total{loop=\"io-1\",name=\"io\"}");
        assertThat(viaMetrics).isGreaterThanOrEqualTo(0.2);
        // the idle loop adds only the edges of a few bursts between the reads
        assertThat(viaPrometheus).isCloseTo(viaMetrics, org.assertj.core.data.Offset.offset(0.005));
        assertThat(again).isCloseTo(viaPrometheus, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void endpointShouldDescribeEveryGroupAndOneByName() throws Exception {
        HttpResponse<String> response = get("/actuator/eventthread");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"eventThread\":{", "\"io\":{", "\"myLoops\":{")
            .contains("\"threadNamePrefix\":\"app-loop\"")
            .contains("\"stuck\":\"PT0.2S\"")
            .contains("\"name\":\"app-loop-2\"");
        HttpResponse<String> one = get("/actuator/eventthread/io");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"name\":\"io-1\"").doesNotContain("app-loop-1");
        assertThat(get("/actuator/eventthread/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void bootsExecutorsShouldBePresentBesideTheUserGroupAndUnqualifiedScheduledNeverOnALoop() throws Exception {
        assertThat(this.context.containsBean("applicationTaskExecutor")).isTrue();
        assertThat(this.context.containsBean("taskScheduler")).isTrue();
        assertThat(this.service.onDefaultExecutor().get(10, TimeUnit.SECONDS)).startsWith("task-");
        List<String> threads = this.service.defaultScheduledOn(10, TimeUnit.SECONDS);
        assertThat(threads).hasSizeGreaterThanOrEqualTo(3)
            .allSatisfy((thread) -> assertThat(thread).startsWith("scheduling-")
                .doesNotStartWith("app-loop-").doesNotStartWith("io-").doesNotStartWith("my-loop-"));
    }

    @Test
    void mdcShouldFlowIntoEveryHopWithoutSetup() throws Exception {
        EventLoop loop = this.eventThread.next();
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<String> task;
        java.util.concurrent.ScheduledFuture<String> timer;
        CompletableFuture<String> async;
        CompletableFuture<String> blocking;
        CompletableFuture<String> continuation;
        CompletableFuture<String> otherGroup;
        MDC.put("requestId", "r-42");
        try {
            task = loop.submit(() -> MDC.get("requestId"));
            timer = loop.asExecutorService().schedule(() -> MDC.get("requestId"), 10, TimeUnit.MILLISECONDS);
            async = this.service.mdcOnLoop();
            blocking = loop.runBlocking(() -> MDC.get("requestId"));
            continuation = loop.runBlocking(() -> gate.await(10, TimeUnit.SECONDS))
                .thenApply((ignored) -> Thread.currentThread().getName() + ":" + MDC.get("requestId"));
            otherGroup = this.io.next().submit(() -> MDC.get("requestId"));
        }
        finally {
            MDC.remove("requestId");
        }
        gate.countDown();
        assertThat(task.get(10, TimeUnit.SECONDS)).isEqualTo("r-42");
        assertThat(timer.get(10, TimeUnit.SECONDS)).isEqualTo("r-42");
        assertThat(async.get(10, TimeUnit.SECONDS)).startsWith("app-loop-").endsWith(":r-42");
        assertThat(blocking.get(10, TimeUnit.SECONDS)).isEqualTo("r-42");
        assertThat(continuation.get(10, TimeUnit.SECONDS)).isEqualTo(loop.name() + ":r-42");
        assertThat(otherGroup.get(10, TimeUnit.SECONDS)).isEqualTo("r-42");
        assertThat(loop.submit(() -> String.valueOf(MDC.get("requestId"))).get(10, TimeUnit.SECONDS))
            .as("the loop thread is left clean").isEqualTo("null");
    }

    @Test
    void asyncMethodShouldRunAndCompleteOnALoopThread() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<String> result = this.service.threadNameAfter(go);
        // Attached before the method can finish, so it runs on the completing thread.
        CompletableFuture<String> completedOn = result.thenApply((name) -> Thread.currentThread().getName());
        go.countDown();
        // completedOn first: a thread waiting in result.get() helps run result's dependents
        // itself once result is done (CompletableFuture.waitingGet), and could run ours
        assertThat(completedOn.get(10, TimeUnit.SECONDS)).startsWith("app-loop-");
        assertThat(result.get(10, TimeUnit.SECONDS)).startsWith("app-loop-");
    }

    @Test
    void scheduledMethodsShouldRunOnTheSchedulerTheyName() throws Exception {
        assertThat(this.service.scheduledOn().get(10, TimeUnit.SECONDS)).startsWith("app-loop-");
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
