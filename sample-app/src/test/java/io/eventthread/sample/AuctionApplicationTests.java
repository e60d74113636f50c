package io.eventthread.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.assertj.core.groups.Tuple;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The auction service end to end, over real HTTP, on the auto-configured EventThread. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AuctionApplicationTests {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    private int port;

    @Autowired
    private JsonMapper json;

    @Autowired
    private EventThread eventThread;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private AuctionProperties properties;

    private AuctionClient client;

    @BeforeEach
    void client() {
        this.client = new AuctionClient(this.port, this.json);
    }

    @Test
    void concurrentBiddersGetOneConsistentHistoryAndTheTimerSettlesTheAuction() throws Exception {
        AuctionView created = this.client.create("Grandfather clock", 50, Duration.ofSeconds(1));
        CompletableFuture<List<String>> stream = this.client.events(created.id()).thenApply((response) -> {
            assertThat(response.statusCode()).isEqualTo(200);
            try (Stream<String> lines = response.body()) {
                // The server completes the stream after the "closed" event.
                return lines.toList();
            }
        });

        int clients = 8;
        int bidsEach = 25;
        ConcurrentLinkedQueue<HttpResponse<String>> answers = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService bidders = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int bidderNo = c;
                done.add(bidders.submit(() -> {
                    start.await();
                    for (int i = 0; i < bidsEach; i++) {
                        // Amounts interleave across clients, so many bids lose a race and get 409.
                        answers.add(this.client.bid(created.id(), "bidder-" + bidderNo, i * clients + bidderNo + 1));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            bidders.shutdownNow();
        }

        assertThat(answers).hasSize(clients * bidsEach);
        assertThat(answers).allSatisfy((answer) -> assertThat(answer.statusCode()).as(answer.body()).isIn(200, 409));
        List<BidAccepted> accepted = answers.stream()
            .filter((answer) -> answer.statusCode() == 200)
            .map((answer) -> this.client.read(answer, BidAccepted.class))
            .sorted(Comparator.comparingInt(BidAccepted::sequence))
            .toList();
        assertThat(accepted).isNotEmpty();

        await().atMost(CLOSE_WAIT).until(() -> {
            AuctionView view = this.client.find(created.id());
            return view.settled() && view.notified();
        });
        AuctionView closed = this.client.find(created.id());

        // No accepted bid lost, none reordered: the history is exactly the 200 answers, by sequence.
        assertThat(closed.bids()).extracting(Bid::sequence, Bid::bidder, Bid::amount)
            .containsExactlyElementsOf(accepted.stream()
                .map((bid) -> Tuple.tuple(bid.sequence(), bid.bidder(), bid.amount()))
                .toList());
        assertThat(closed.bids()).extracting(Bid::sequence)
            .containsExactlyElementsOf(IntStream.rangeClosed(1, accepted.size()).boxed().toList());
        assertThat(closed.bids()).extracting(Bid::amount).isSortedAccordingTo(Comparator.naturalOrder())
            .doesNotHaveDuplicates();
        BidAccepted best = accepted.get(accepted.size() - 1);
        assertThat(accepted).extracting(BidAccepted::amount).allSatisfy((amount) -> assertThat(amount).isLessThanOrEqualTo(best.amount()));
        assertThat(closed.status()).isEqualTo("SOLD");
        assertThat(closed.winner()).isEqualTo(best.bidder());
        assertThat(closed.highestAmount()).isEqualTo(best.amount());
        // The timer closes no earlier than the last deadline a bid was told about.
        assertThat(closed.closedAt()).isAfterOrEqualTo(best.deadline().minusMillis(5));

        Map<String, Object> row = this.jdbc.sql("select * from settlement where auction_id = ?")
            .param(created.id())
            .query()
            .singleRow();
        assertThat(row).containsEntry("STATUS", "SOLD")
            .containsEntry("WINNER", best.bidder())
            .containsEntry("AMOUNT", best.amount())
            .containsEntry("BID_COUNT", accepted.size());
        // runBlocking kept JDBC off the loops.
        assertThat((String) row.get("SETTLED_BY")).isNotIn(loopNames());

        List<Notification> notifications = List.of(this.client.read(this.client.get("/notifications"), Notification[].class));
        assertThat(notifications).filteredOn((n) -> n.auctionId().equals(created.id()))
            .singleElement()
            .satisfies((n) -> {
                assertThat(n.status()).isEqualTo("SOLD");
                assertThat(n.winner()).isEqualTo(best.bidder());
                assertThat(n.amount()).isEqualTo(best.amount());
            });

        List<String> lines = stream.get(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
        List<Bid> streamed = dataOf(lines, "bid").stream().map((data) -> this.client.read(data, Bid.class)).toList();
        assertThat(streamed).isEqualTo(closed.bids());
        assertThat(dataOf(lines, "closed")).singleElement()
            .satisfies((data) -> assertThat(this.client.read(data, AuctionView.class).winner()).isEqualTo(best.bidder()));
    }

    @Test
    void bidInTheAntiSnipingWindowPushesTheDeadlineOut() {
        Duration window = this.properties.antiSnipingWindow();
        // Shorter than the window, so the bid lands inside it however slow the machine, as long as it beats the deadline.
        AuctionView created = this.client.create("Painting", 10, window.multipliedBy(9).dividedBy(10));
        HttpResponse<String> response = this.client.bid(created.id(), "sniper", 20);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        BidAccepted bid = this.client.read(response, BidAccepted.class);
        assertThat(bid.deadline()).isAfter(created.deadline());

        await().atMost(CLOSE_WAIT).until(() -> !"OPEN".equals(this.client.find(created.id()).status()));
        AuctionView closed = this.client.find(created.id());
        assertThat(closed.deadline()).isEqualTo(bid.deadline());
        assertThat(closed.closedAt()).isAfterOrEqualTo(bid.deadline().minusMillis(5));
        assertThat(closed.winner()).isEqualTo("sniper");
    }

    @Test
    void bidOutsideTheAntiSnipingWindowKeepsTheDeadline() {
        AuctionView created = this.client.create("Chair", 10, this.properties.antiSnipingWindow().multipliedBy(10));
        HttpResponse<String> response = this.client.bid(created.id(), "early", 20);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(this.client.read(response, BidAccepted.class).deadline()).isEqualTo(created.deadline());
    }

    @Test
    void bidThatDoesNotBeatTheHighestIsConflict() {
        AuctionView created = this.client.create("Vase", 10, Duration.ofMinutes(1));
        assertThat(this.client.bid(created.id(), "ann", 30).statusCode()).isEqualTo(200);
        HttpResponse<String> same = this.client.bid(created.id(), "bob", 30);
        assertThat(same.statusCode()).isEqualTo(409);
        assertThat(same.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(same.body()).contains("does not beat the highest bid 30");
        assertThat(this.client.bid(created.id(), "bob", 29).statusCode()).isEqualTo(409);
        assertThat(this.client.find(created.id()).bids()).extracting(Bid::bidder).containsExactly("ann");
    }

    @Test
    void bidOnClosedAuctionIsConflictAndUnsoldBelowReserve() {
        AuctionView created = this.client.create("Rug", 1000, Duration.ofMillis(200));
        await().atMost(CLOSE_WAIT).until(() -> this.client.find(created.id()).settled());
        assertThat(this.client.find(created.id()).status()).isEqualTo("UNSOLD");
        HttpResponse<String> late = this.client.bid(created.id(), "late", 5000);
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("is closed");
    }

    @Test
    void unknownAuctionIsNotFound() {
        assertThat(this.client.get("/auctions/no-such-auction").statusCode()).isEqualTo(404);
        assertThat(this.client.bid("no-such-auction", "ann", 10).statusCode()).isEqualTo(404);
        HttpResponse<String> events = this.client.get("/auctions/no-such-auction/events");
        assertThat(events.statusCode()).isEqualTo(404);
        assertThat(events.body()).contains("No auction 'no-such-auction'");
    }

    @Test
    void malformedInputIsBadRequest() {
        AuctionView created = this.client.create("Lamp", 10, Duration.ofMinutes(1));
        String bids = "/auctions/" + created.id() + "/bids";
        assertThat(List.of(
                this.client.post("/auctions", "{\"item\": "),
                this.client.post("/auctions", "{\"item\": \"\", \"reservePrice\": 1, \"duration\": \"PT1S\"}"),
                this.client.post("/auctions", "{\"item\": \"x\", \"reservePrice\": -1, \"duration\": \"PT1S\"}"),
                this.client.post("/auctions", "{\"item\": \"x\", \"reservePrice\": 1, \"duration\": \"PT0S\"}"),
                this.client.post("/auctions", "{\"item\": \"x\", \"reservePrice\": 1, \"duration\": \"soon\"}"),
                this.client.post("/auctions", "{\"item\": \"x\", \"reservePrice\": 1, \"duration\": \"P400D\"}"),
                this.client.post("/auctions", "{\"item\": \"x\", \"reservePrice\": 1}"),
                this.client.post(bids, "{\"bidder\": \"ann\"}"),
                this.client.post(bids, "{\"bidder\": \"ann\", \"amount\": 0}"),
                this.client.post(bids, "{\"bidder\": \" \", \"amount\": 5}"),
                this.client.post(bids, "not json")))
            .allSatisfy((response) -> {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            });
        assertThat(this.client.find(created.id()).bids()).isEmpty();
        assertThat(this.client.post("/auctions", "{\"item\": \"\", \"reservePrice\": 1, \"duration\": \"PT0S\"}").body())
            .contains("item: must not be blank", "durationPositive: must be positive");
    }

    @Test
    void eachAuctionLivesOnTheLoopChosenByItsId() {
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            AuctionView created = this.client.create("Lot " + i, 1, Duration.ofMinutes(1));
            assertThat(created.loop()).isEqualTo(this.eventThread.loopFor(created.id()).name());
            used.add(created.loop());
        }
        assertThat(this.eventThread.loops()).hasSize(4);
        assertThat(used).hasSizeGreaterThan(1);
    }

    @Test
    void actuatorShowsTheEventThreadHealthAndMeters() {
        HttpResponse<String> health = this.client.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        // both groups, keyed by bean name: the auctions' and the second group, "notifications"
        JsonNode groups = this.json.readTree(health.body()).path("components").path("eventThread");
        assertThat(groups.path("status").asString()).isEqualTo("UP");
        assertThat(groups.path("components").propertyNames()).containsExactly("eventThread", "notifications");
        assertThat(groups.path("components").path("eventThread").path("details").propertyNames())
            .containsExactlyInAnyOrderElementsOf(loopNames());
        assertThat(groups.path("components").path("notifications").path("details").propertyNames())
            .containsExactly("notifications-1");

        HttpResponse<String> prometheus = this.client.get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("eventthread_queued_tasks{loop=\"eventthread-1\",name=\"eventThread\"}")
            .contains("eventthread_loop_busy_seconds_total{loop=\"notifications-1\",name=\"notifications\"}");

        HttpResponse<String> endpoint = this.client.get("/actuator/eventthread");
        assertThat(endpoint.statusCode()).isEqualTo(200);
        JsonNode described = this.json.readTree(endpoint.body()).path("groups");
        assertThat(described.propertyNames()).containsExactly("eventThread", "notifications");
        assertThat(this.client.get("/actuator/eventthread/notifications").body()).contains("\"name\":\"notifications-1\"");
    }

    private List<String> loopNames() {
        return this.eventThread.loops().stream().map(EventLoop::name).toList();
    }

    /** The data lines of the events of one name, in stream order. */
    private static List<String> dataOf(List<String> lines, String eventName) {
        List<String> data = new ArrayList<>();
        String current = null;
        for (String line : lines) {
            if (line.startsWith("event:")) {
                current = line.substring("event:".length()).trim();
            }
            else if (line.startsWith("data:") && eventName.equals(current)) {
                data.add(line.substring("data:".length()));
            }
            else if (line.isEmpty()) {
                current = null;
            }
        }
        return data;
    }

}
